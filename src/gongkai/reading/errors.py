"""The one exception the reader raises for input it cannot read."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ReadError", "ReadErrorCode"]


class ReadErrorCode(StrEnum):
    """Why a document could not be read."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    BINARY = "binary"
    UNSUPPORTED = "unsupported"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    SCANNED = "scanned"
    NO_TABLES = "no_tables"
    NOT_A_REPORT = "not_a_report"
    IO = "io"


class ReadError(Exception):
    """A document that cannot be read as an annual report. ``message`` is Chinese, for users."""

    def __init__(self, code: ReadErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
