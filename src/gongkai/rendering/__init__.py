"""Rendering an AnnualReport in the official layout (HTML, DOCX, PDF, XLSX, JSON, Markdown). Pure Python."""
