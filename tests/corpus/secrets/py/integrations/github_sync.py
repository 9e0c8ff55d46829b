import os

import requests

GITHUB_API = "https://api.github.com"
HEADERS = {
    "Authorization": "token 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",
    "Accept": "application/vnd.github+json",
}
BOT_TOKEN = os.environ.get("GITHUB_BOT_TOKEN", "")
TOKEN_PATTERN = r"ghp_[A-Za-z0-9]{36}"
LAST_SYNCED_COMMIT = "85592eba167a569564c65c9908416851b646130d"


def open_issues(repo: str) -> list[dict]:
    return requests.get(f"{GITHUB_API}/repos/{repo}/issues", headers=HEADERS, timeout=10).json()
