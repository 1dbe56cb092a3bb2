"""The REST API (docs/api.md): applications, annual reports and publications for other systems.

Token authentication only (``ApiToken``, hashed, with an expiry), the same permission codenames
and the same scoping selectors as the back office, every write through the ledger's services.
"""
