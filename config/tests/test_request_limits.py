"""A body over the upload limit sent to a page (not the API) is a 413 page saying so (config.security.bad_request).

The API's own answers to such bodies are tested in apikit/tests/test_request_limits.py.
"""

import pytest
from django.urls import reverse

from heritage.models import Source

pytestmark = pytest.mark.django_db


def test_an_oversized_admin_form_is_a_413_page(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = editor.post(reverse("admin:heritage_source_add"), {"title": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert b"Too much at once" in response.content
    assert not Source.objects.exists()
