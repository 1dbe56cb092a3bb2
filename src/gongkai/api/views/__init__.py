"""API views, one module per area; ``base`` holds what they share."""
