"""spillguard: finds secrets and insecure defaults where AI-assisted code is written."""

__version__ = "0.1.0"
