import os
import pickle
import stat
import subprocess
import tempfile

import redis
import yaml

cache = redis.Redis(host=os.environ.get("REDIS_HOST", "localhost"))


def load_job(path: str) -> dict:
    with open(path) as fh:
        return yaml.load(fh.read())


def load_job_safe(path: str) -> dict:
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.CSafeLoader)


def cached_frame(key: str):
    blob = cache.get(key)
    return pickle.loads(blob) if blob else None


def count_rows(table: str) -> str:
    out = subprocess.run("psql -tc 'SELECT count(*) FROM %s'" % table, shell=True, capture_output=True, text=True)
    return out.stdout.strip()


def count_rows_safe(table: str) -> str:
    out = subprocess.run(["psql", "-tc", f"SELECT count(*) FROM {table}"], capture_output=True, text=True)
    return out.stdout.strip()


def export(rows: list[str]) -> str:
    tmp = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
    with tmp:
        tmp.write("\n".join(rows))
    os.chmod(tmp.name, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
    return tmp.name


def export_private(rows: list[str]) -> str:
    fd, name = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(rows))
    os.chmod(name, stat.S_IRUSR | stat.S_IWUSR)
    return name
