"""Every notebook in notebooks/ runs top to bottom without error and saves at least one plot.

The graph is built once here (the sample articles and the ontology, through the same
pipeline functions as ``breachkg ingest``) into an embedded store under ``tmp_path``; the
notebooks find it through ``BREACHKG_STORE``.  The shared datasets are a trimmed copy: the
first rows of the HHS OCR archive (the full file takes longer than the rest together) and
the VCDB folder as it is, under a temporary ``BREACHKG_SHARED``.  Each notebook writes its
plots into its own ``BREACHKG_NOTEBOOK_OUT`` folder; the kernel's working directory is
``tmp_path``, so ``BREACHKG_REPO`` names the checkout (notebook 02 imports
``benchmarks/generate_graph.py`` from it, also when breachkg is installed from a wheel).

The kernel is the venv's own interpreter: a kernel spec naming ``sys.executable`` is written
under ``tmp_path`` and put first on ``JUPYTER_PATH``, so nothing depends on a kernel
installed for the user.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from breachkg.pipeline import ingest_inputs, load_ontology, open_store
from breachkg.resources import resource_dir

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
SHARED = Path(os.environ.get("BREACHKG_SHARED") or REPO.parent / "shared")
KERNEL = "breachkg-notebook-test"
#: HHS OCR archive rows kept for the notebook run (the full file has 5,371).
HHS_ROWS = 400
CELL_TIMEOUT = 300


def test_collects_every_notebook() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01-tour.ipynb",
        "02-supply-chain-concentration.ipynb",
        "03-provenance-and-validation.ipynb",
        "04-structured-datasets.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_kept_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


@pytest.fixture(scope="module")
def notebook_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Store, trimmed shared data and a kernel spec for the venv's Python."""
    root = tmp_path_factory.mktemp("notebooks")
    store_dir = root / "store"
    with open_store(store_dir) as store:
        ingest_inputs(store, [resource_dir("samples")])
        load_ontology(store)

    data = root / "shared" / "data"
    data.mkdir(parents=True)
    assert (SHARED / "data" / "vcdb").is_dir(), f"shared datasets not found under {SHARED}"
    trim_csv(SHARED / "data" / "hhs-ocr-breaches.csv", data / "hhs-ocr-breaches.csv", HHS_ROWS)
    (data / "vcdb").symlink_to(SHARED / "data" / "vcdb", target_is_directory=True)

    kernel_dir = root / "jupyter" / "kernels" / KERNEL
    kernel_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "breachkg test kernel",
        "language": "python",
    }
    (kernel_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    yield {
        "BREACHKG_REPO": str(REPO),
        "BREACHKG_STORE": str(store_dir),
        "BREACHKG_SHARED": str(root / "shared"),
        "JUPYTER_PATH": os.pathsep.join(
            [str(root / "jupyter"), *filter(None, [os.environ.get("JUPYTER_PATH")])]
        ),
        "MPLBACKEND": "Agg",
    }


def trim_csv(source: Path, target: Path, rows: int) -> None:
    """The header and the first ``rows`` records of a CSV file, fields quoted as upstream."""
    with (
        source.open(encoding="utf-8", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(src)
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for n, record in enumerate(reader):
            if n > rows:
                break
            writer.writerow(record)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_saves_a_plot(
    path: Path, notebook_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    for name, value in {**notebook_env, "BREACHKG_NOTEBOOK_OUT": str(out)}.items():
        monkeypatch.setenv(name, value)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    plots = sorted(p.name for p in out.glob("*.png"))
    assert plots, f"{path.name} saved no PNG in {out}"
    assert all((out / p).stat().st_size > 1000 for p in plots)
