import time

import jwt
import requests

APP_ID = 381923
INSTALLATION_TOKEN = "ghs_7D4wx4b1qLSpmOV1O0uSyBTPo9B9FA26fKME"
OAUTH_TOKEN = "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"
FINE_GRAINED = "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"
REFRESH = "ghr_toSOSRpZrXaRhGFOKtD7hS0JYeP7PXx2fogCCiKAD9tCis5KpUWVAtE18W9InNiBGRBOTeWicg0w"


def app_jwt(private_key: str) -> str:
    now = int(time.time())
    return jwt.encode({"iat": now - 60, "exp": now + 540, "iss": APP_ID}, private_key, algorithm="RS256")
