"""The sequences the CLI, notebooks, benchmarks and tests all call.

source files -> loaders -> quads per named graph -> validation -> store -> queries, reports,
exports.
"""

from __future__ import annotations
