"""The admin of training (registered on import by mentoring/admin/__init__.py)."""
