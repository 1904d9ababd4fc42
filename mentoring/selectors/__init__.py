"""Reads of the mentoring app, a module per feature."""
