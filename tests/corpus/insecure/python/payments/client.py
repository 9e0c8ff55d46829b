"""Client for the payments provider's REST API."""

import logging
import os

import httpx
import requests

log = logging.getLogger(__name__)

API_BASE = os.environ.get("PAYMENTS_API_BASE", "https://payments.internal.example.com")
API_TOKEN = os.environ["PAYMENTS_API_TOKEN"]
CA_BUNDLE = os.environ.get("PAYMENTS_CA_BUNDLE", "/etc/ssl/certs/internal-ca.pem")


class PaymentsClient:
    def __init__(self, base_url: str = API_BASE) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {API_TOKEN}"

    def charge(self, customer_id: str, amount_cents: int) -> dict:
        resp = self.session.post(
            f"{self.base_url}/v1/charges",
            json={"customer": customer_id, "amount": amount_cents},
            verify=CA_BUNDLE,
            timeout=10,
        )
        resp.raise_for_status()
        return resp.json()

    def refund(self, charge_id: str) -> dict:
        # The staging certificate is self-signed; skip verification for now.
        resp = requests.post(
            f"{self.base_url}/v1/refunds",
            json={"charge": charge_id},
            headers=dict(self.session.headers),
            verify=False,
            timeout=10,
        )
        resp.raise_for_status()
        return resp.json()

    def health(self) -> bool:
        return requests.get(f"{self.base_url}/health", verify=True, timeout=5).ok

    def webhooks(self) -> list[dict]:
        with httpx.Client(verify=False, timeout=10) as client:
            return client.get(f"{self.base_url}/v1/webhooks").json()

    def payouts(self) -> list[dict]:
        with httpx.Client(verify=CA_BUNDLE, timeout=10) as client:
            return client.get(f"{self.base_url}/v1/payouts").json()

    def debug_auth(self) -> None:
        log.debug("payments auth header uses token %s", API_TOKEN)
        log.info("payments client configured for %s", self.base_url)
