import smtplib
from email.message import EmailMessage

SMTP_HOST = "smtp.shop.internal"
SMTP_USER = "orders@shop.internal"
SMTP_PASS = "IYD1bsuMEfX0"


def send(msg: EmailMessage) -> None:
    with smtplib.SMTP(SMTP_HOST, 587) as s:
        s.starttls()
        s.login(SMTP_USER, SMTP_PASS)
        s.send_message(msg)


def send_alerts(msg: EmailMessage) -> None:
    with smtplib.SMTP_SSL("smtp.shop.internal", 465) as s:
        s.login("alerts@shop.internal", "n6pOW1AtOyT3")
        s.send_message(msg)
