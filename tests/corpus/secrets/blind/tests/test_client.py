from app.client import Client

FAKE_KEY = "sk-" + "x" * 48
EXPIRED_TOKEN = "expired.token.value"


def test_client_sends_key(httpx_mock):
    client = Client(api_key="test-api-key-123")
    client.get("/ping")
    assert httpx_mock.get_request().headers["Authorization"] == "Bearer test-api-key-123"


def test_password_policy():
    assert not Client.password_ok("short")
    assert Client.password_ok("a-much-longer-passphrase")
