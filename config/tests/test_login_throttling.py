import pytest
from django.urls import reverse


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def attempt(client, password):
    return client.post(reverse("admin:login"), {"username": "alice", "password": password, "next": "/admin/"})


def test_the_nth_failed_admin_login_locks_the_account_out(throttled, alice, client):
    assert attempt(client, "wrong").status_code == 200
    assert attempt(client, "wrong").status_code == 200
    assert attempt(client, "wrong").status_code == 429
    # Locked out: even the right password is refused until the cool-off ends.
    assert attempt(client, "password").status_code == 429


def test_fewer_failures_than_the_limit_still_let_the_editor_in(throttled, alice, client):
    attempt(client, "wrong")
    response = attempt(client, "password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
