"""Models of the 主动公开 app."""
