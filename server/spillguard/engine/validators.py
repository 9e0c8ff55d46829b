"""Offline validators: checksums that tell a real token from a made-up one.

GitHub (ghp_ gho_ ghu_ ghs_ ghr_) and npm (npm_) tokens end in the CRC32 of
their random part, base62-encoded (0-9A-Za-z) and left-padded to 6 characters.
Cloudflare tokens (cfk_/cfut_/cfat_) end in 8 lowercase hex digits: the CRC32 of
the body.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Callable

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(n: int, width: int = 6) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = BASE62[r] + out
    return out.rjust(width, "0")


def _crc62_tail(body: str) -> bool:
    if len(body) < 7 or not body.isascii() or not body.isalnum():
        return False
    random_part, check = body[:-6], body[-6:]
    return base62(zlib.crc32(random_part.encode())) == check


def github_crc32(token: str) -> bool:
    """ghp_<30 random><6 checksum>. Long JWT-style ghs_ tokens have no CRC: not validated."""
    if "_" not in token:
        return False
    return _crc62_tail(token.split("_", 1)[1])


def npm_crc32(token: str) -> bool:
    return token.startswith("npm_") and _crc62_tail(token[4:])


def cloudflare_crc32(token: str) -> bool:
    if "_" not in token:
        return False
    body = token.split("_", 1)[1]
    if len(body) < 9:
        return False
    payload, check = body[:-8], body[-8:]
    return f"{zlib.crc32(payload.encode()):08x}" == check


# Every PyPI upload token is a base64 macaroon opening with this header: version and
# location fields, "AgEIcHlwaS5vcmc" once base64-encoded (references.md).
PYPI_MACAROON_HEADER = base64.b64decode("AgEIcHlwaS5vcmc=")


def pypi_macaroon(token: str) -> bool:
    """PyPI tokens are base64 macaroons with the index's location header."""
    if not token.startswith("pypi-"):
        return False
    blob = token[5:]
    try:
        raw = base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4))
    except (binascii.Error, ValueError):
        return False
    return raw.startswith(PYPI_MACAROON_HEADER)


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "github-crc32": github_crc32,
    "npm-crc32": npm_crc32,
    "cloudflare-crc32": cloudflare_crc32,
    "pypi-macaroon": pypi_macaroon,
}


def make_crc62_token(prefix: str, random_part: str) -> str:
    """Build a token with a valid checksum (for tests and rule examples)."""
    return prefix + random_part + base62(zlib.crc32(random_part.encode()))


def aws_account_id(key_id: str) -> str | None:
    """Decode the AWS account id from an AKIA/ASIA key id, offline."""
    if len(key_id) != 20 or not key_id[:4].isalpha():
        return None
    try:
        raw = base64.b32decode(key_id[4:] + "=" * (-len(key_id[4:]) % 8))
    except (binascii.Error, ValueError):
        return None
    z = int.from_bytes(raw[:6], "big")
    return f"{(z & 0x7FFFFFFFFF80) >> 7:012d}"
