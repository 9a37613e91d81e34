import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from demo import data
from heritage.models import Citation, ConditionAssessment, HistoryEvent, Incident, RiskProfile, Source, Status
from heritage.tests.factories import make_incident, make_source
from sites.dates import bounds, in_words
from sites.models import Site, SiteName
from sites.tests.factories import PALMYRA, make_site

TINY = {"sites": 30, "sources": 20, "events": 40, "incidents": 30, "assessments": 20}


def generate(**counts):
    """generate_demo_data with TINY's counts, overridden by these; a None value is a flag (no-copy=None)."""
    options = [f"--{name}" if number is None else f"--{name}={number}" for name, number in (TINY | counts).items()]
    call_command("generate_demo_data", *options, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_it_creates_the_requested_numbers_of_marked_rows(db):
    generate()
    assert Site.objects.filter(slug__startswith="demo-").count() == 30
    assert Source.objects.filter(slug__startswith="demo-", publisher="SYNTHETIC DEMO DATA").count() == 20
    assert HistoryEvent.objects.filter(slug__startswith="demo-").count() == 40
    assert Incident.objects.filter(slug__startswith="demo-").count() == 30
    assert 0 < ConditionAssessment.objects.count() <= 20
    assert RiskProfile.objects.count() == 30


def test_every_published_fact_cites_a_published_source(db):
    generate()
    for model, field in ((HistoryEvent, "event"), (Incident, "incident"), (ConditionAssessment, "assessment")):
        published = model.objects.published()
        assert published.exists()
        assert not published.filter(citations__isnull=True).exists()
        assert not Citation.objects.filter(**{f"{field}__isnull": False}, source__status=Status.DRAFT).exists()
    assert Incident.objects.filter(status=Status.DRAFT).exists()


def test_dates_carry_the_bounds_and_the_words_the_edtf_text_means(db):
    generate()
    for incident in Incident.objects.all():
        assert (incident.date_earliest, incident.date_latest) == bounds(incident.date)
        assert {"en": incident.date_words, "ar": incident.date_words_ar} == in_words(incident.date)
    for event in HistoryEvent.objects.all():
        assert (event.date_earliest, event.date_latest) == bounds(event.date)
        assert {"en": event.date_words, "ar": event.date_words_ar} == in_words(event.date)
    for site in Site.objects.exclude(built=""):
        assert {"en": site.built_words, "ar": site.built_words_ar} == in_words(site.built)


def test_sites_have_arabic_and_transliterated_names_and_lie_in_their_country(db):
    generate()
    for site in Site.objects.prefetch_related("names"):
        languages = {name.language for name in site.names.all()}
        assert {"en", "ar", "ar-Latn"} <= languages
        if site.latitude is not None:
            code = site.countries[0].code
            south, north, west, east = {c[0]: c[2] for c in data.COUNTRIES}[code]
            assert south <= site.latitude <= north and west <= site.longitude <= east
    arabic = SiteName.objects.filter(language="ar").first()
    assert arabic.is_rtl
    assert arabic.folded


def test_risk_profiles_are_computed_from_the_generated_record(db):
    generate(incidents=60)
    standing = RiskProfile.objects.filter(standing_incidents__gt=0).first()
    assert standing.risk_level in {"critical", "high", "moderate"}
    assert standing.risk_reasons


def test_a_scale_multiplies_the_benchmark_defaults_and_explicit_counts_win():
    counts = data.scaled_counts(0.01, sources=5)
    assert counts == {"sites": 1000, "sources": 5, "events": 5000, "incidents": 2000, "assessments": 1500}


def test_a_second_run_adds_rows_without_slug_clashes(db):
    generate()
    generate()
    assert Site.objects.filter(slug__startswith="demo-").count() == 60


def test_purge_deletes_the_demo_rows_and_nothing_else(db):
    palmyra = make_site("Site of Palmyra", **PALMYRA)
    real_source = make_source("UNOSAT imagery analysis")
    make_incident([palmyra], title="Temple of Bel blown up", source=real_source)
    generate()
    call_command("generate_demo_data", purge=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Site.objects.values_list("slug", flat=True)) == [palmyra.slug]
    assert list(Source.objects.values_list("title", flat=True)) == ["UNOSAT imagery analysis"]
    assert list(Incident.objects.values_list("title", flat=True)) == ["Temple of Bel blown up"]
    assert Citation.objects.count() == 1
    assert HistoryEvent.objects.count() == 0
    assert RiskProfile.objects.filter(site=palmyra).exists()


def test_bad_options_are_refused_with_a_message(db):
    with pytest.raises(CommandError, match="--scale must be greater than 0"):
        call_command("generate_demo_data", scale=0)
    with pytest.raises(CommandError, match="Counts cannot be negative: sites"):
        call_command("generate_demo_data", sites=-1)
    assert not Site.objects.exists()


def snapshot():
    """The generated record as plain values, timestamps aside."""
    return {
        "sites": list(Site.objects.order_by("slug").values_list(
            "slug", "name", "countries", "latitude", "longitude", "built", "built_earliest", "parent__slug")),
        "names": sorted(SiteName.objects.values_list("site__slug", "name", "language", "kind__slug", "folded")),
        "sources": list(Source.objects.order_by("slug").values_list("slug", "title", "status", "published")),
        "incidents": list(Incident.objects.order_by("slug").values_list(
            "slug", "title", "claim", "status", "date", "date_earliest", "date_latest", "category__label")),
        "incident sites": sorted(Incident.sites.through.objects.values_list("incident__slug", "site__slug")),
        "citations": sorted(Citation.objects.values_list(
            "source__slug", "incident__slug", "event__slug", "assessment__site__slug", "locator"), key=repr),
        "profiles": sorted(RiskProfile.objects.values_list("site__slug", "risk_level", "standing_incidents")),
    }


def test_the_same_seed_writes_the_same_record(db):
    generate()
    first = snapshot()
    call_command("generate_demo_data", purge=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    generate()
    assert snapshot() == first
    assert len(first["sites"]) == 30 and len(first["incidents"]) == 30


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY needs PostgreSQL")


@on_postgresql
def test_copy_writes_the_rows_bulk_create_writes(db):
    generate()
    copied = snapshot()
    call_command("generate_demo_data", purge=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    generate(**{"no-copy": None})
    assert snapshot() == copied


@on_postgresql
def test_rows_saved_after_copy_get_fresh_ids(db):
    generate()
    highest = Site.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert make_site("Site of Palmyra", **PALMYRA).pk > highest


def test_copy_is_refused_off_postgresql(db):
    if connection.vendor == "postgresql":
        pytest.skip("checks the refusal elsewhere")
    with pytest.raises(ValueError, match="COPY needs PostgreSQL"):
        data.generate(TINY, copy=True)
    assert not Site.objects.exists()
