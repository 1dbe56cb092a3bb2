"""Models of the 年度报告 app."""
