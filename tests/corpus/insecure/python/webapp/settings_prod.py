"""Production overrides."""

import os

from .settings import *  # noqa: F401,F403

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"

ALLOWED_HOSTS = ["shop.example.com", "www.shop.example.com"]

CORS_ALLOWED_ORIGINS = ["https://shop.example.com"]
