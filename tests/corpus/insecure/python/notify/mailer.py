"""Send account e-mails through the SMTP relay; keep a Redis queue and a delivery log in Postgres."""

import logging
import os
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage

import psycopg2
import redis

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    smtpPass: str


def settings_from_env() -> SmtpSettings:
    settings = SmtpSettings(
        host=os.environ.get("SMTP_HOST", "localhost"),
        port=int(os.environ.get("SMTP_PORT", "587")),
        user=os.environ["SMTP_USER"],
        smtpPass=os.environ["SMTP_PASS"],
    )
    logger.info("smtp user %s", os.getenv("SMTP_USER"))
    logger.debug("smtp pass %s", os.getenv("SMTP_PASS"))
    print("SMTP_PASS set:", bool(os.environ.get("SMTP_PASS")))
    print("SMTP_PASS in env:", "SMTP_PASS" in os.environ)
    logger.info("reading the SMTP password from %s", os.getenv("SMTP_PASS_FILE"))
    return settings


def check(smtp_user: str, smtp_pass: str) -> None:
    if len(smtp_pass) < 12:
        raise ValueError(f"bad smtp_pass {smtp_pass}")
    if "@" in smtp_user:
        raise ValueError(f"smtp user {smtp_user} should not be an address")


def send(settings: SmtpSettings, msg: EmailMessage) -> None:
    logger.info("smtp login %s@%s:%d", settings.user, settings.host, settings.port)
    logger.debug("smtp login with %s", settings.smtpPass)
    with smtplib.SMTP(settings.host, settings.port) as smtp:
        smtp.starttls()
        smtp.login(settings.user, settings.smtpPass)
        smtp.send_message(msg)


def open_db(db_user: str, db_pass: str):
    print(f"db user: {db_user}")
    print(f"db pass: {db_pass}")
    if not db_pass:
        raise ValueError(f"no database password for {db_user}")
    return psycopg2.connect(host=os.environ["DB_HOST"], user=db_user, password=db_pass)


def open_queue(redis_pass: str) -> redis.Redis:
    client = redis.Redis(host=os.environ.get("REDIS_HOST", "localhost"), password=redis_pass)
    try:
        client.ping()
    except redis.AuthenticationError:
        logging.error("redis auth with %s failed", redis_pass)
        raise
    logging.info("redis queue at %s", client.connection_pool.connection_kwargs.get("host"))
    return client


def send_batches(batches: list[list[EmailMessage]], settings: SmtpSettings) -> None:
    started = time.monotonic()
    first_pass = 0.0
    bypass = os.environ.get("MAIL_BYPASS_QUEUE") == "1"
    for i, batch in enumerate(batches):
        logger.info("pass %d of %d", i + 1, len(batches))
        for msg in batch:
            send(settings, msg)
        if i == 0:
            first_pass = time.monotonic() - started
    logger.info("first pass took %.1fs, bypass=%s", first_pass, bypass)


def debug_config() -> None:
    print(f"SMTP host: {os.environ.get('SMTP_HOST')}")
    print(f"SMTP pass: {os.environ['SMTP_PASS']}")
