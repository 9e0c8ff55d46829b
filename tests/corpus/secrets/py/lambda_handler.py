import json
import urllib.request

DISCORD_WEBHOOK_URL = "https://discord.com/api/webhooks/290437475867742572/1Doea5wnqLr_SVD6Zd7RQWvwxjTw8ocrNeYRABDv2ykT9LwzNqUswkg7c2qKFda6Zm6n"
SHOPIFY_ACCESS_TOKEN = "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"
DO_SPACES_SECRET = "iQi+hQTQ5gtepxaCWgvwVD2SplKubACvsWtaw16caeI="
POSTMAN_KEY = "PMAK-43ae9261a18352d97fd4f398-f7a7bc0b3de8c9743cc41b435a94df18ae"


def handler(event, context):
    body = json.dumps({"content": f"New order {event['id']}"}).encode()
    req = urllib.request.Request(DISCORD_WEBHOOK_URL, data=body, headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5)
    return {"statusCode": 200}
