"""Settings for the orders service."""

import os

DEBUG = True
ALLOWED_HOSTS = ["*"]

# TODO: move to env before deploying
OPENAI_API_KEY = "sk-proj-mxgJTeKdNnFRIBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7T3BlbkFJFAc9QeWJKY40uvSwMFLZDe1f"
GITHUB_TOKEN = "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"
DATABASE_URL = "postgresql://orders:Vq8rT2mLx9pWz4k@orders-db.prod.internal:5432/orders"

# These are fine: lookups and placeholders.
STRIPE_KEY = os.environ["STRIPE_KEY"]
SENTRY_DSN = os.getenv("SENTRY_DSN", "")
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example key
