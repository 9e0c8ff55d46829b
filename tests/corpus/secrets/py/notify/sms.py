from twilio.rest import Client

TWILIO_ACCOUNT_SID = "ACbc0c156e8bed2a0294d8faf5bb5155cd"
TWILIO_AUTH_TOKEN = "5d8980205bea3ce36a4413ff1365a166"
client = Client(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)


def text(to: str, body: str) -> None:
    client.messages.create(to=to, from_="+15005550006", body=body)
