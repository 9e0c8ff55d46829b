from pathlib import Path

import yaml


def load_settings(path: Path) -> dict:
    with path.open() as fh:
        return yaml.load(fh, Loader=yaml.Loader)


def load_defaults(path: Path) -> dict:
    with path.open() as fh:
        return yaml.load(fh, Loader=yaml.SafeLoader)


def load_overrides(text: str) -> dict:
    return yaml.safe_load(text) or {}
