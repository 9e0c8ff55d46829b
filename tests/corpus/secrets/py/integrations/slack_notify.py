import requests
from slack_sdk import WebClient

SLACK_WEBHOOK_URL = "https://hooks.slack.com/services/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"
slack = WebClient(token="xoxb-71785733948-7402548674003-vkzFLiHx8YqD0h8zuDEzVJfx")
DOCS_WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"


def notify(text: str) -> None:
    requests.post(SLACK_WEBHOOK_URL, json={"text": text}, timeout=5)
    slack.chat_postMessage(channel="#orders", text=text)
