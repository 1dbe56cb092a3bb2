"""Reading published annual reports (PDF, DOCX, HTML, text) into AnnualReport data. Pure Python."""

from gongkai.reading.api import MAX_BYTES, ReadResult, read_report
from gongkai.reading.errors import ReadError, ReadErrorCode
from gongkai.reading.resolve import Note

__all__ = ["MAX_BYTES", "Note", "ReadError", "ReadErrorCode", "ReadResult", "read_report"]
