import pytest

from app.auth import login, make_token


@pytest.fixture
def user(faker):
    return {"email": faker.email(), "password": faker.password(length=16)}


def test_login_rejects_wrong_password(client, user):
    resp = client.post("/login", json={"email": user["email"], "password": "wrong-password"})
    assert resp.status_code == 401


def test_token_roundtrip():
    token = make_token(user_id=42, secret="test-secret")
    assert token.count(".") == 2


def test_password_hash_is_bcrypt(user):
    hashed_password = "$2b$12$CHro40KQ.i6Nh4K0jxGdqH0Tz0IpZkWxcnWSlJUjjNPQ0p0XbsK7f"
    assert hashed_password.startswith("$2b$")
