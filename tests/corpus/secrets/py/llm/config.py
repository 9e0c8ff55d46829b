import os
from dataclasses import dataclass


@dataclass
class LLMSettings:
    api_key: str
    base_url: str = "https://api.openai.com/v1"
    org_token: str | None = None


def load() -> LLMSettings:
    return LLMSettings(
        api_key=os.getenv("OPENAI_API_KEY", "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"),
        base_url=os.getenv("OPENAI_BASE_URL", "https://api.openai.com/v1"),
    )


def get_token() -> str:
    return os.environ["HF_TOKEN"]
