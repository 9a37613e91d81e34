"""Test-wide fixtures: a fixed cast of users and fast password hashing.

alice is an editor (may add and change records), bob a reviewer (may also
publish and delete), charlie a logged-in reader with no permissions; anonymous
visitors use the plain ``client``.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import translation


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def each_test_starts_in_english():
    # A request to an /ar/ page leaves Arabic active in the thread (LocaleMiddleware does not undo it), and
    # the test client serves requests in the test's own thread.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _user_with_perms(django_user_model, username, codename_prefixes):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "password", is_staff=True)
    permissions = Permission.objects.filter(content_type__app_label__in=["sites", "heritage"])
    chosen = [perm for perm in permissions if perm.codename.split("_")[0] in codename_prefixes]
    group, _ = Group.objects.get_or_create(name=username)
    group.permissions.set(chosen)
    user.groups.add(group)
    return user


@pytest.fixture
def alice(django_user_model):
    """An editor: may view, add and change records."""
    return _user_with_perms(django_user_model, "alice", {"view", "add", "change"})


@pytest.fixture
def bob(django_user_model):
    """A reviewer: may also delete."""
    return _user_with_perms(django_user_model, "bob", {"view", "add", "change", "delete"})


@pytest.fixture
def charlie(django_user_model):
    """A logged-in reader without any permission."""
    return django_user_model.objects.create_user("charlie", "charlie@example.org", "password")


@pytest.fixture
def editor(client, alice):
    """The test client signed in as alice, as an editor's browser in the admin."""
    client.force_login(alice)
    return client


# JSON API ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_throttles():
    """API throttles count requests in the cache; every test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api():
    """An anonymous API client."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as():
    """api_as(user): an API client authenticated by the user's token, as scripts do."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def client_for(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
