"""Signs webhook payloads with our EC key."""
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

SIGNING_KEY_PEM = b"""-----BEGIN EC PRIVATE KEY-----
MIKq6Cf//iiXFq3XpcolFyvoptrohbLiO3V9DsruOxUAPKdq9N1N1ivkQgu3n/gq
ldl7mJy6vKms2GaJEhJNOhxO79CXv60tFzBG+d+sFI26TWS+wJJKhc6dBgdCXk5v
eIVMVrOOWUM8NcVMMVWv0O+rSWCnoOjS
-----END EC PRIVATE KEY-----
"""

VERIFY_KEY_PEM = b"""-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsUeIVhpNgAexVkWo5KNW
-----END PUBLIC KEY-----
"""


def sign(payload: bytes) -> bytes:
    key = serialization.load_pem_private_key(SIGNING_KEY_PEM, password=None)
    return key.sign(payload, ec.ECDSA(hashes.SHA256()))
