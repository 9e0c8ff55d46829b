import os

import requests
import sendgrid

sg = sendgrid.SendGridAPIClient(api_key="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")
MAILGUN_API_KEY = "key-c5b96a8b2ee1224fabb99d6a5e8d49d4"
MAILGUN_DOMAIN = "mg.example.com"


def send_mailgun(to: str, subject: str, text: str) -> None:
    requests.post(
        f"https://api.mailgun.net/v3/{MAILGUN_DOMAIN}/messages",
        auth=("api", MAILGUN_API_KEY),
        data={"from": f"orders@{MAILGUN_DOMAIN}", "to": to, "subject": subject, "text": text},
        timeout=10,
    )
