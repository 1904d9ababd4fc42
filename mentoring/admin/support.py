"""The admin of support (registered on import by mentoring/admin/__init__.py)."""
