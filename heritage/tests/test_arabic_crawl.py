"""Every public page a reader reaches from the Arabic home page, on the curated data: its links stay in Arabic
(no same-site link leads to an unprefixed, English page, except the language switch and what is the same in
every language: the API, its downloads, static files), and no English word of the interface is left in it.
Text the page marks as English (lang="en": editors' content, names, untranslated vocabulary labels marked as
such) is not the interface's and is left out of the word check.
"""

import datetime
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from heritage.models import Release
from heritage.opendata.release import record_counts

pytestmark = pytest.mark.django_db

# Same in every language: the API and its documentation and downloads, static files, the language switch's
# form, the admin (which follows the editor's own choice).
LANGUAGE_NEUTRAL = ("/api/", "/static/", "/i18n/", f"/{settings.ADMIN_URL}")
JSON_URL = re.compile(r'"url":\s*"([^"]+)"')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Words of the English interface (templates, Python, vocabulary choices) that must not be left on an Arabic page.
ENGLISH_UI_WORDS = re.compile(
    r"\b(Search|Sites?|Incidents?|Sources?|Timeline|Condition|Risk|High|Low|Moderate|Critical|Unknown|Download|"
    r"Next|Previous|Page|Filter|Apply|Map|Home|Categories|Published|Draft|Alleged|Confirmed|Corroborated|"
    r"Disputed|Retracted|assessed|recorded|between|and|the|of|on|in|by|from|since|with|List|"
    r"sites|names|sources|events|incidents|assessments)\b"
)


class Page(HTMLParser):
    """A page's same-site links (outside the language switch) and its text outside elements marked lang="en"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.words = [], []
        self.stack = []  # (tag, english, in the language switch, hidden from the text check)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        english, switch, hidden = self.stack[-1][1:] if self.stack else (False, False, False)
        if attrs.get("lang") is not None:
            english = attrs["lang"].startswith("en")
        switch = switch or "language-switch" in (attrs.get("class") or "") or "hreflang" in attrs
        hidden = hidden or tag in ("script", "style", "template", "code", "pre", "time")
        if tag == "a" and attrs.get("href") and not switch:
            self.links.append(attrs["href"])
        if tag == "form" and attrs.get("action") and not switch:
            self.links.append(attrs["action"])
        if attrs.get("data-points-url"):  # the map page fetches its points from there
            self.links.append(attrs["data-points-url"])
        self.json = tag == "script" and attrs.get("type") == "application/json"
        if tag not in VOID:
            self.stack.append((tag, english, switch, hidden))
        for name in ("aria-label", "title", "placeholder", "alt"):
            if attrs.get(name) and not english:
                self.words.append(attrs[name])

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if getattr(self, "json", False):  # the points a map draws, with the addresses its popups link to
            self.links.extend(JSON_URL.findall(data))
        english, _switch, hidden = self.stack[-1][1:] if self.stack else (False, False, False)
        if not english and not hidden and data.strip():
            self.words.append(data)


def is_english_page(path):
    return not path.startswith("/ar/") and not path.startswith(LANGUAGE_NEUTRAL)


@pytest.fixture
def curated(db):
    call_command("load_curated", verbosity=0)


def crawl(client, starts=("/ar/",), limit=400):
    """{path: Page} of the Arabic pages reachable from starts by same-site links, with their query strings."""
    seen, pages, queue = set(starts), {}, deque(starts)
    while queue and len(pages) < limit:
        address = queue.popleft()
        response = client.get(address)
        if response.status_code != 200:
            continue
        page = Page()
        if response["Content-Type"].startswith("application/json"):
            page.links.extend(JSON_URL.findall(response.content.decode()))
        elif response["Content-Type"].startswith("text/html"):
            page.feed(response.content.decode())
        else:
            continue
        pages[address] = page
        for href in page.links:
            url = urlsplit(urljoin(address, href))
            if url.netloc not in ("", "testserver") or not url.path.startswith("/ar/"):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen and "page=" not in url.query:
                seen.add(target)
                queue.append(target)
    return pages


def test_arabic_pages_link_only_to_arabic_pages_and_speak_no_english(client, curated):
    # A release, as `manage.py release` records it, for the releases page to list.
    Release.objects.create(version="2026.12.01", released=datetime.date(2026, 12, 1), record_as_of=timezone.now(),
                           counts=record_counts(), checksums={"sites.csv": "0" * 64})
    # From the home page, and the answers to two searches (a form's answer is reached by typing, not by a link).
    pages = crawl(client, ("/ar/", "/ar/search/?q=تدمر", "/ar/search/?q=Palmira"))

    # Every kind of public page is reached from the home page.
    paths = {urlsplit(address).path for address in pages}
    for expected in ("/ar/", "/ar/sites/", "/ar/sites/palmyra/", "/ar/incidents/", "/ar/map/", "/ar/search/",
                     "/ar/categories/", "/ar/releases/", "/ar/map/points.json"):
        assert expected in paths, expected
    for prefix in ("/ar/incidents/", "/ar/sources/", "/ar/categories/"):
        assert any(path.startswith(prefix) and path != prefix for path in paths), prefix

    english_links = {
        (address, href)
        for address, page in pages.items()
        for href in page.links
        if urlsplit(urljoin(address, href)).netloc in ("", "testserver")
        and is_english_page(urlsplit(urljoin(address, href)).path)
        and not href.startswith(("#", "mailto:"))
    }
    assert sorted(english_links) == []

    content = editors_text()
    english_words = {}
    for address, page in pages.items():
        for text in page.words:
            if not ENGLISH_UI_WORDS.search(text):
                continue
            interface = URL.sub(" ", text)
            for written in content:
                if written in interface:
                    interface = interface.replace(written, " ")
            for word in ENGLISH_UI_WORDS.findall(interface):
                english_words.setdefault(word, set()).add((urlsplit(address).path, text.strip()[:100]))
    assert english_words == {}


URL = re.compile(r"https?://\S+")


def editors_text():
    """Every text value stored in the record and the gazetteer (names, titles, labels without Arabic,
    descriptions, publishers…), longest first: what editors and standards wrote, shown as written."""
    values = set()
    for app in ("sites", "heritage"):
        for model in apps.get_app_config(app).get_models():
            fields = [field.name for field in model._meta.concrete_fields
                      if isinstance(field, (models.CharField, models.TextField))]
            for row in model.objects.values_list(*fields) if fields else ():
                values.update(value.strip() for value in row if value and len(value.strip()) > 1)
    values |= {re.sub(r"^(Site of|Ancient City of|Old City of)\s+", "", value) for value in values}
    return sorted(values, key=len, reverse=True)


def test_a_chart_is_drawn_the_same_in_arabic_its_numbers_in_svgs_own_notation(client, curated):
    # Arabic formats a decimal with a comma ("188,0"), which SVG reads as two numbers: the bars vanished.
    def geometry(svg):
        return re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg)

    english = client.get("/charts/sites/palmyra.svg").content.decode()
    arabic = client.get("/ar/charts/sites/palmyra.svg").content.decode()

    assert "<title id=\"chart-title\">الحوادث في تدمر" in arabic
    assert geometry(arabic) == geometry(english)
    assert all(re.fullmatch(r"-?\d+(\.\d+)?%?", value) for value in geometry(arabic)), geometry(arabic)
