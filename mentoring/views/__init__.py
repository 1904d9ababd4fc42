"""Views of the mentoring app, a module per feature."""
