import pytest


@pytest.fixture
def api_client(client):
    client.headers["Authorization"] = "Bearer test-token"
    client.headers["X-API-Key"] = "dummy-key-for-tests"
    return client


@pytest.fixture
def admin_password():
    return "AdminPass123!"
