"""The admin of the mentoring app, a module per feature."""

from mentoring.admin import mentors, support, training  # noqa: F401  (registers the admins)
