import json
import urllib.request

DISCORD_WEBHOOK_URL = "https://discord.com/api/webhooks/472225519681276762/smR4MiAeRhInvi1KE_0q9mLI_CPDTYaSm16JXMEspXXrhTrowQMq3-hIP4AcL4waBdXn"
SHOPIFY_ACCESS_TOKEN = "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"
DO_SPACES_SECRET = "fH4EKT1wjBhuunud20+qQPrDj9+n2MImL2vOafW/s4o="
POSTMAN_KEY = "PMAK-fd418cca5de7b3a54fb2cb7f-a73f92611a97c80602d88a1e6001967ec6"


def handler(event, context):
    body = json.dumps({"content": f"New order {event['id']}"}).encode()
    req = urllib.request.Request(DISCORD_WEBHOOK_URL, data=body, headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5)
    return {"statusCode": 200}
