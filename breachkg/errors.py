"""Errors that the CLI turns into one stderr line and a non-zero exit.

Every message names the file or parameter at fault and the reason, on one line.
"""

from __future__ import annotations


class BreachkgError(Exception):
    """Base class: ``str(err)`` is the one-line message shown to the user."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class BreachkgInputError(BreachkgError):
    """A file or value given by the user cannot be read or understood."""

    def __init__(self, where: object, reason: str) -> None:
        self.where = str(where)
        self.reason = reason
        super().__init__(f"{where}: {reason}")


class BreachkgParameterError(BreachkgInputError):
    """A query or CLI parameter is unknown, missing or ill-typed."""


class BreachkgStoreError(BreachkgError):
    """The store (embedded or remote) refused or failed an operation."""


class BreachkgValidationError(BreachkgError):
    """Data failed SHACL validation; ``report`` holds the details."""

    exit_code = 1

    def __init__(self, message: str, report: object = None) -> None:
        self.report = report
        super().__init__(message)
