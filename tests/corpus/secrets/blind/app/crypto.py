from cryptography.fernet import Fernet

FERNET_KEY = b"rD0vMQEhz7AjIl5A5qtvTstz6vY4/FRia2Z+WG0jMu0="
encrypted_password = "gAAAAABmWeTI7kfBOObSt7qUydyskCln5dcQIg/9iyLLE5cuWbrvuCaHaPS5xakZaAOIaMKp"
API_KEY = (
    "eIZJqRci0Igic5vPlfCSpERvcwS4A0qcNUVtlnGc"
)
private_key_path = "~/.ssh/orders_deploy"
password_file = "/run/secrets/db_password"
