"""Local development: `make run` on a laptop or an office PC."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
