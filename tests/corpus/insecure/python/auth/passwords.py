import hashlib
import hmac
import os

import bcrypt


def legacy_hash_password(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()


def legacy_check(password: str, stored: str) -> bool:
    digest = hashlib.sha1(password.encode("utf-8")).hexdigest()
    return hmac.compare_digest(digest, stored)


def hash_password(password: str) -> bytes:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt())


def derive_key(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)


def file_checksum(path: str) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            h.update(chunk)
    return h.hexdigest()


def etag(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def new_salt() -> bytes:
    return os.urandom(16)
