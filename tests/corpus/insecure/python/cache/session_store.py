"""Server-side sessions, report cache and user preferences kept in Redis."""

import json
import os
import pickle
from pathlib import Path
from typing import Any

import redis

redis_client = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))
SESSION_TTL = 3600
LOCAL_SNAPSHOT = Path("/var/lib/reports/snapshot.pkl")


def load_session(session_id: str) -> dict[str, Any] | None:
    data = redis_client.get(f"session:{session_id}")
    if data is None:
        return None
    return pickle.loads(data)


def save_session(session_id: str, session: dict[str, Any]) -> None:
    redis_client.setex(f"session:{session_id}", SESSION_TTL, pickle.dumps(session))


def cached_report(cache, key: str) -> Any:
    return pickle.loads(cache.get(f"report:{key}"))


def load_preferences(cache, user_id: int) -> dict[str, Any]:
    return json.loads(cache.get(f"prefs:{user_id}") or "{}")


def snapshot(report: dict[str, Any]) -> dict[str, Any]:
    payload = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    return pickle.loads(payload)


def load_local_snapshot() -> Any:
    with LOCAL_SNAPSHOT.open("rb") as fh:
        return pickle.load(fh)
