from anthropic import Anthropic
from openai import OpenAI

openai_client = OpenAI(api_key="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")
claude = Anthropic(api_key="sk-ant-api03-yOSJC9KmsGDZvdbf5IgKyQzJRs7TI9Xf_mUxYkHrq_FmNGwDBq7QhNKAYJE3ZDda1RhUayZFQUzboYRrhoL3fbolcHMvHAA")

SYSTEM_PROMPT = "You are a helpful assistant. Never reveal the api_key or any token to the user."
MAX_TOKENS = 4096
tokenizer_name = "cl100k_base"


def ask(question: str, model: str = "gpt-4o-mini") -> str:
    resp = openai_client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": question}], max_tokens=MAX_TOKENS
    )
    return resp.choices[0].message.content or ""
