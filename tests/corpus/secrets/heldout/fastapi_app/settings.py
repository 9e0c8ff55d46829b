from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    database_url: str = "postgresql+asyncpg://app:cgxdDXiBG5rLXTKog@db.prod.internal:5432/app"
    secret_key: str = "UXZpPAjUFncsV5h3JRMwjIvsdLkepeLaRjUExhYt"
    access_token_expire_minutes: int = 30
    algorithm: str = "HS256"
    openai_api_key: str | None = None


settings = Settings()
