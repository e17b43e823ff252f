"""The JSON view of an article's extraction, as ``breachkg extract --json`` writes it.

One object per article: ``{"article", "language", "published", "title", "incidents": [{"id"
(the incident IRI), "key", "summary", "date", "affected_count", "victim_organizations", "vendors",
"software", "attack_types", "threat_actors", "marketplaces", "data_categories",
"locations", "usages"}]}`` -- the format ``/work/shared/eval/score.py`` reads.  Files are
written atomically (a temporary file in the same folder, then ``os.replace``).

>>> from breachkg.extract import ArticleExtraction
>>> extraction_json(ArticleExtraction("fr", None, None, []), "a.txt")["incidents"]
[]
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from breachkg.model import Incident


def written_name(org) -> str:
    """The longest form an article wrote an organisation's name in (else its name)."""
    return max(org.aliases, key=len) if org.aliases else org.name


def incident_json(incident: Incident) -> dict:
    """One incident as a plain dict of names, codes and values."""
    date = incident.occurred or incident.disclosed or incident.discovered
    return {
        "id": incident.node.value,
        "key": incident.key,
        "summary": incident.summary,
        "date": date.value if date else None,
        "affected_count": incident.affected_count.value if incident.affected_count else None,
        "victim_organizations": [written_name(s.value) for s in incident.victims],
        "vendors": [s.value.name for s in incident.vendors],
        "software": [s.value.name for s in incident.software],
        "attack_types": [s.value for s in incident.attack_types],
        "threat_actors": [s.value.name for s in incident.threat_actors],
        "marketplaces": [s.value.name for s in incident.marketplaces],
        "data_categories": [s.value for s in incident.data_categories],
        "locations": [s.value.name for s in incident.places],
        "usages": [
            {
                "establishment": s.value.establishment.name,
                "member_count": s.value.establishment.member_count,
                "software": s.value.software.name,
                "publisher": s.value.software.publisher.name
                if s.value.software.publisher
                else None,
            }
            for s in incident.usages
        ],
    }


def extraction_json(extraction, article_name: str) -> dict:
    """The whole article's extraction as the dict written to ``NAME.json``."""
    return {
        "article": article_name,
        "language": extraction.language,
        "published": extraction.published,
        "title": extraction.title,
        "incidents": [incident_json(i) for i in extraction.incidents],
    }


def write_json_atomically(path: Path, data: dict) -> None:
    """Write ``data`` as UTF-8 JSON to ``path`` through a temporary file and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
