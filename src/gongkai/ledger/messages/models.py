"""Models of the 网民留言 app."""
