"""Post deployment notices to Slack and hand out invite codes."""

import logging
import os
import random
import string

import requests
import urllib3

logger = logging.getLogger(__name__)
urllib3.disable_warnings()

SLACK_TOKEN = os.environ["SLACK_BOT_TOKEN"]
SLACK_API = "https://slack.example.com/api"


def post(channel: str, text: str) -> bool:
    resp = requests.post(
        f"{SLACK_API}/chat.postMessage",
        headers={"Authorization": f"Bearer {SLACK_TOKEN}"},
        json={"channel": channel, "text": text},
        verify=False,
        timeout=10,
    )
    logger.info("posted to %s: %s", channel, resp.status_code)
    return resp.ok


def invite_code(length: int = 8) -> str:
    return "".join(random.choices(string.ascii_uppercase + string.digits, k=length))


def rotate_channels(channels: list[str]) -> list[str]:
    random.shuffle(channels)
    return channels


def debug_config() -> None:
    print("Slack token:", SLACK_TOKEN)
    print("Slack API:", SLACK_API)
