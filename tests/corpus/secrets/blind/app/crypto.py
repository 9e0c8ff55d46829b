from cryptography.fernet import Fernet

FERNET_KEY = b"8ZmOerQU+0kDFa+be+xGXcgjfe6aSDopYq9j43kx2Ww="
encrypted_password = "gAAAAABmba+WCWdaEf6MLe0CKZ6q4WJX+wNL7/LPfq16Ci8X7LIoQGXePmNJq/F2Ne6aFFtV"
API_KEY = (
    "nbQpaILoNU4IJI4vvhF0JTZoKBLDB2glRs0qRg1V"
)
private_key_path = "~/.ssh/orders_deploy"
password_file = "/run/secrets/db_password"
