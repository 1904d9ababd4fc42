"""Production settings with the bench's URLs: the portal's, plus one bare login-required view that the
requests-per-second figures compare the real pages against (`make bench`)."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
