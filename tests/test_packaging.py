"""The wheel carries the data the package reads (ontology, queries, samples, loaders).

The wheel is built from a clean copy of the source tree (no ``build/`` or stale
``*.egg-info`` that could hide a missing declaration), installed into a plain folder,
and read from another working directory, as a user's non-editable install would be.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = (".git", ".venv", "build", "dist", "breachkg-data", "*.egg-info", "__pycache__")
LEFT_OUT += (".hypothesis", ".pytest_cache", ".ruff_cache", ".import_linter_cache", "tests")
LEFT_OUT += ("notebooks", "benchmarks", "out")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "breachkg"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_OUT))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [built] = out.glob("breachkg-*.whl")
    return built


def shipped(root: Path, folder: str, pattern: str) -> list[str]:
    return sorted(p.relative_to(root / folder).as_posix() for p in (root / folder).glob(pattern))


def test_wheel_holds_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"breachkg/loaders/__init__.py", "breachkg/loaders/rdf_file.py"}
    expected |= {f"breachkg/ontology/{n}" for n in shipped(ROOT, "ontology", "*.ttl")}
    expected |= {f"breachkg/ontology/vocab/{n}" for n in shipped(ROOT, "ontology/vocab", "*.ttl")}
    expected |= {
        f"breachkg/ontology/registry/{n}" for n in shipped(ROOT, "ontology/registry", "*.ttl")
    }
    expected |= {f"breachkg/canned_queries/{n}" for n in shipped(ROOT, "queries", "*.rq")}
    expected |= {
        f"breachkg/samples/{n}"
        for n in shipped(ROOT, "samples", "*")
        if (ROOT / "samples" / n).is_file()
    }
    assert sorted(expected - names) == []
    assert {
        "breachkg/ontology/vocab/data-categories.ttl",
        "breachkg/ontology/vocab/attack-types.ttl",
    } <= names
    assert any(n.startswith("breachkg/samples/") for n in names)
    assert any(n.startswith("breachkg/canned_queries/") and n.endswith(".rq") for n in names)
    assert not [n for n in names if not n.startswith(("breachkg/", "breachkg-"))]
    if (ROOT / "ontology" / "breachkg.ttl").exists():
        assert "breachkg/ontology/breachkg.ttl" in names
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    )
    assert b"breachkg = breachkg.cli:main" in entry_points


def test_resources_resolve_in_a_non_editable_install(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import breachkg, breachkg.resources as r;"
        "print(breachkg.__file__);"
        "print(r.resource_dir('ontology')); print(r.resource_dir('queries'));"
        "print(r.resource_dir('samples'))"
    )
    # -S: no site-packages, so neither the editable install nor the checkout can answer
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe, str(target)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    package, ontology, queries, samples = (Path(line) for line in done.stdout.splitlines())
    assert package == target / "breachkg" / "__init__.py"
    assert ontology == target / "breachkg" / "ontology"
    assert queries == target / "breachkg" / "canned_queries"
    assert samples == target / "breachkg" / "samples"
    assert sorted(p.name for p in (ontology / "vocab").glob("*.ttl")) == shipped(
        ROOT, "ontology/vocab", "*.ttl"
    )
    assert sorted(p.name for p in queries.glob("*.rq")) == shipped(ROOT, "queries", "*.rq")
