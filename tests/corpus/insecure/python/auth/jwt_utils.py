import os

import jwt

PUBLIC_KEY = open(os.environ.get("JWT_PUBLIC_KEY_PATH", "/etc/app/jwt.pub")).read()


def peek_claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def decode_legacy(token: str) -> dict:
    return jwt.decode(token, key="", algorithms=["none"])


def verify(token: str) -> dict:
    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], audience="api")
