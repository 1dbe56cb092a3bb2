"""Reading published annual reports (PDF, DOCX, HTML, text) into AnnualReport data. Pure Python."""
