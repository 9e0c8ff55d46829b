"""Signs webhook payloads with our EC key."""
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

SIGNING_KEY_PEM = b"""-----BEGIN EC PRIVATE KEY-----
MIJfI0bLqeG7a+URuwh1gb/o9zDuWrw+L3ERZzdXL/jLb6fiiqS7egYzRuXAF0AI
85txpO7qaoLAfc6Rfgy61PLavScb9GwnLuLxQ8KJoUQSuuSEFwQ4+rUIM/EUrzgb
WK9JOEuizjd3M0zQufa7OYaiVUElNw81
-----END EC PRIVATE KEY-----
"""

VERIFY_KEY_PEM = b"""-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAkZLqHtG295KVL3iPVqv4
-----END PUBLIC KEY-----
"""


def sign(payload: bytes) -> bytes:
    key = serialization.load_pem_private_key(SIGNING_KEY_PEM, password=None)
    return key.sign(payload, ec.ECDSA(hashes.SHA256()))
