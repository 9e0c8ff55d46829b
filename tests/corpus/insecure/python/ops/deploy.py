import os
import subprocess
import tempfile

import paramiko


def connect(host: str, user: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username=user, key_filename=os.path.expanduser("~/.ssh/deploy"))
    return client


def connect_strict(host: str, user: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(host, username=user)
    return client


def stage_release(tarball: bytes) -> str:
    path = tempfile.mktemp(suffix=".tar.gz")
    with open(path, "wb") as fh:
        fh.write(tarball)
    os.chmod(path, 0o777)
    return path


def stage_release_safe(tarball: bytes) -> str:
    fd, path = tempfile.mkstemp(suffix=".tar.gz")
    with os.fdopen(fd, "wb") as fh:
        fh.write(tarball)
    os.chmod(path, 0o600)
    return path


def restart(service: str) -> None:
    subprocess.check_call(f"systemctl restart {service}", shell=True)


def restart_safe(service: str) -> None:
    subprocess.check_call(["systemctl", "restart", service])
