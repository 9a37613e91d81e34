"""A small Palmyra built with the factories, from the facts in shared/data (coordinates, ids, dates).

Built once per test module inside a transaction that is rolled back at the end
of the module; each test runs in a savepoint within it, so tests may change it.
"""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction

from heritage.models import ClaimStanding, Quotation, RiskProfile, Source
from heritage.tests.factories import make_actor, make_assessment, make_category, make_event, make_incident, make_source
from sites.models import Designation, Identifier
from sites.tests.factories import (
    DAMASCUS,
    PALMYRA,
    make_designation,
    make_identifier,
    make_name,
    make_site,
)


@pytest.fixture(scope="module")
def palmyra_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_palmyra()
        transaction.set_rollback(True)


@pytest.fixture
def palmyra(palmyra_world, db):
    return palmyra_world


@pytest.fixture(scope="module")
def curated(django_db_setup, django_db_blocker):
    """The curated record (manage.py load_curated), loaded once for a module; tests also ask for ``db``."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_curated", verbosity=0)
        yield
        transaction.set_rollback(True)


def build_palmyra():
    damascus = make_site("Ancient City of Damascus", slug="ancient-city-of-damascus", kind="city", **DAMASCUS)
    site = make_site("Site of Palmyra", slug="palmyra", summary="An oasis city of the Syrian desert.", **PALMYRA)
    make_name(site, "Site of Palmyra", "en", kind="preferred")
    make_name(site, "Tadmor", "en", kind="historical")
    make_name(site, "تدمر", "ar", kind="variant")
    make_identifier(site, Identifier.Authority.UNESCO, "23")
    make_identifier(site, Identifier.Authority.WIKIDATA, "Q5747")
    make_identifier(site, Identifier.Authority.PLEIADES, "668331")
    make_designation(site, Designation.Kind.WORLD_HERITAGE, "1980", criteria="(i)(ii)(iv)", reference="23")
    make_designation(site, Designation.Kind.IN_DANGER, "2013-06-20")
    bel = make_site("Temple of Bel", slug="temple-of-bel", kind="temple", parent=site,
                    latitude=34.5473478, longitude=38.2738581)
    make_name(bel, "Temple of Bel", "en", kind="preferred")
    make_name(bel, "معبد بل", "ar", kind="variant")
    make_identifier(bel, Identifier.Authority.WIKIDATA, "Q797481")
    baalshamin = make_site("Temple of Baalshamin", slug="temple-of-baalshamin", kind="temple", parent=site,
                           latitude=34.5534199, longitude=38.2699931)
    make_name(baalshamin, "Temple of Baalshamin", "en", kind="preferred")
    make_name(baalshamin, "Temple of Baal Shamin", "en", kind="variant")

    sohr = make_source("Syrian Observatory for Human Rights report", publisher="Syrian Observatory for Human Rights",
                       published="2015-07", kind=Source.Kind.MONITORING, reliability="C", credibility="3")
    seed = make_source(
        "ISIS militants execute prisoners in Palmyra", publisher="Daily Mail", published="2015-07-17",
        url="https://www.dailymail.co.uk/news/article-3164999/", archived_url="https://web.archive.org/web/20150717/",
        graphic=True, summary="Reports executions at Palmyra, citing the Syrian Observatory for Human Rights.",
        reliability="C", credibility="3",
    )
    seed.relies_on.add(sohr)
    Quotation.objects.create(source=seed, text="130 miles north-east of Damascus", supports="Where Palmyra lies.")
    unosat = make_source("Satellite imagery of the Temple of Bel, 31 August 2015", publisher="UNOSAT",
                         published="2015-08-31", kind=Source.Kind.IMAGERY, reliability="A", credibility="1")

    deliberate = make_category()
    isis = make_actor("Islamic State")
    consecrated = make_event([bel], title="Temple of Bel consecrated", date="0032", source=unosat)
    raid = make_event([site], title="Mark Antony's cavalry raid on Palmyra", date="-0040", source=unosat)
    hypogeum = make_event([site], title="Hypogeum of the Three Brothers founded", date="0140~/0160~", source=unosat)
    destroyed = make_incident([bel], title="Temple of Bel blown up", date="2015-08-30", category=deliberate,
                              claim=ClaimStanding.CONFIRMED, actor=isis, source=unosat)
    baalshamin_destroyed = make_incident([baalshamin], title="Temple of Baalshamin blown up", date="2015-08-23",
                                         category=deliberate, claim=ClaimStanding.CONFIRMED, actor=isis,
                                         source=seed)
    assessment = make_assessment(bel, "destroyed", date="2015-08-31", assessor="UNOSAT", source=unosat)
    draft = make_incident([bel], title="Unchecked rumour of looting", date="2015-09", status="draft")
    RiskProfile.objects.record_changed([damascus, site])  # as every writer ends; the factories write raw
    return SimpleNamespace(**locals())


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
