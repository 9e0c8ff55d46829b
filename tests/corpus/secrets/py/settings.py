"""Django settings for the orders project (generated, then edited)."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "b1*skczt_)km%bf4jdpy76f^1$a$!$dp#2ap5-zdb!16a5^9s!"

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["orders.example.com", "localhost"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "orders",
        "USER": "orders_app",
        "PASSWORD": "bBfS83Ced*u3QlYJ",
        "HOST": os.environ.get("DB_HOST", "localhost"),
        "PORT": "5432",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

EMAIL_HOST = "smtp.example.com"
EMAIL_HOST_USER = "notifications@example.com"
EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]
PASSWORD_RESET_TIMEOUT = 259200
CSRF_COOKIE_NAME = "orders_csrftoken"
