import time

import jwt
import requests

APP_ID = 381923
INSTALLATION_TOKEN = "ghs_eVu90OiHGRw0qAX7HNvJ4d0XQpMOJC34DiaK"
OAUTH_TOKEN = "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"
FINE_GRAINED = "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"
REFRESH = "ghr_1jTIMwOo0SzQ1H4b3WfiSb3dWW60HeIlQAPzk22lA9W2ogyuuJYTOxUqZpCMaRIVFTg7D4wx4b1q"


def app_jwt(private_key: str) -> str:
    now = int(time.time())
    return jwt.encode({"iat": now - 60, "exp": now + 540, "iss": APP_ID}, private_key, algorithm="RS256")
