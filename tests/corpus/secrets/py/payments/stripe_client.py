import os

import stripe

# TODO: move to env before launch
stripe.api_key = "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"
STRIPE_PUBLISHABLE_KEY = "pk_live_51ZZqPy7tTKP6RUDLYLvqsKt3sVNrCtNuPBUKibc7XiiDvDlr3qBiwBNPBACZMzla6MkXpsaCoKaEF7UV2PUBKiCUbyMJcxDWo7"
STRIPE_WEBHOOK_SECRET = os.getenv("STRIPE_WEBHOOK_SECRET")


def charge(customer_id: str, amount_cents: int) -> stripe.PaymentIntent:
    return stripe.PaymentIntent.create(customer=customer_id, amount=amount_cents, currency="usd")


def verify(payload: bytes, sig_header: str, secret: str = STRIPE_WEBHOOK_SECRET) -> dict:
    return stripe.Webhook.construct_event(payload, sig_header, secret)
