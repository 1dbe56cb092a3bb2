"""Models of the 行政复议和行政诉讼 app."""
