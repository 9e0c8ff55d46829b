import socket
import ssl
import urllib.request


def fetch_status(url: str) -> int:
    ctx = ssl._create_unverified_context()
    with urllib.request.urlopen(url, context=ctx) as resp:
        return resp.status


def probe(host: str, port: int = 443) -> str:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, port)) as sock, ctx.wrap_socket(sock, server_hostname=host) as tls:
        return tls.version() or ""


def probe_strict(host: str, port: int = 443) -> str:
    ctx = ssl.create_default_context()
    ctx.verify_mode = ssl.CERT_REQUIRED
    with socket.create_connection((host, port)) as sock, ctx.wrap_socket(sock, server_hostname=host) as tls:
        return tls.version() or ""
