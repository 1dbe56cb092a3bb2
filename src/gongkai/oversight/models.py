"""Models of the supervising office."""
