"""Copy build outputs to the shared artifact directory other teams read from."""

import os
import shutil
import stat
from pathlib import Path

SHARED = Path("/srv/shared/artifacts")


def publish(build_dir: Path) -> Path:
    target = SHARED / build_dir.name
    shutil.copytree(build_dir, target, dirs_exist_ok=True)
    os.chmod(target, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
    for path in target.rglob("*"):
        mode = path.stat().st_mode
        os.chmod(path, mode | stat.S_IWGRP | stat.S_IWOTH)
    return target


def publish_legacy(path: str) -> None:
    os.chmod(path, 0o777)


def lock_down(path: Path) -> None:
    os.chmod(path, path.stat().st_mode & ~stat.S_IWOTH)


def write_signing_key(path: Path, key: bytes) -> None:
    path.write_bytes(key)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def make_private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(stat.S_IRWXU)
