import random
import secrets
import string

ALPHABET = string.ascii_letters + string.digits


def generate_api_token(length: int = 32) -> str:
    return "".join(random.choice(ALPHABET) for _ in range(length))


def generate_reset_code() -> str:
    reset_code = str(random.randint(100000, 999999))
    return reset_code


def generate_session_token() -> str:
    return secrets.token_urlsafe(32)


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def shuffle_quiz(questions: list[str]) -> list[str]:
    picked = random.sample(questions, k=min(10, len(questions)))
    return picked


def retry_jitter(attempt: int) -> float:
    return random.uniform(0, 2**attempt)
