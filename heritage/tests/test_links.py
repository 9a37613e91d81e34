"""Tried as a new reader would after `make run`: every link on every page leads somewhere real."""

import re
from html import unescape
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

HREF = re.compile(r'(?:href|src)="([^"]+)"')


def internal_links(content):
    for link in HREF.findall(content):
        link = urldefrag(unescape(link))[0]
        parts = urlsplit(link)
        if link and not parts.scheme and not parts.netloc and link.startswith("/"):
            yield link


def test_every_link_from_the_home_page_leads_somewhere_real(client, curated, db):
    seen, queue, broken = set(), ["/"], []
    while queue:
        url = queue.pop()
        if url in seen or url.startswith("/admin/"):
            continue
        seen.add(url)
        if url.startswith(settings.STATIC_URL):
            if not finders.find(url.removeprefix(settings.STATIC_URL)):
                broken.append((url, 404))
            continue
        response = client.get(url)
        if response.status_code != 200:
            broken.append((url, response.status_code))
            continue
        if response["Content-Type"].startswith("text/html"):
            queue.extend(link for link in internal_links(response.content.decode()) if link not in seen)
    assert broken == []
    assert len(seen) > 100  # sites, sources, incidents, categories, feeds, charts, static files
