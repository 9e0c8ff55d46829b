import hashlib
import logging
import random
import string

import requests
import yaml

from .config import GITHUB_TOKEN

log = logging.getLogger(__name__)


def fetch_repo(name: str) -> dict:
    headers = {"Authorization": f"token {GITHUB_TOKEN}"}
    resp = requests.get(f"https://api.github.com/repos/{name}", headers=headers, verify=False)
    log.info(f"fetched {name} with token {GITHUB_TOKEN}")
    return resp.json()


def load_settings(path: str) -> dict:
    with open(path) as fh:
        return yaml.load(fh)


def reset_code() -> str:
    return "".join(random.choice(string.digits) for _ in range(6))


def hash_password(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()
