"""The curated Palmyra dataset, checked against the research it was built from.

The fixtures are loaded once for this module (``manage.py load_curated``, inside a
transaction rolled back at the end); each test runs in its own savepoint within it.
Checks against ../shared/data are skipped when that folder is not there.
"""

import functools
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from heritage.models import (
    Citation,
    ClaimStanding,
    ConditionAssessment,
    ConditionState,
    Confidence,
    HistoryEvent,
    Incident,
    Quotation,
    Source,
    ThreatCategory,
)
from sites.dates import WORDS_LANGUAGES, bounds, in_words, words_field
from sites.models import Certainty, Designation, Identifier, Site, SiteName
from sites.text import fold

SHARED = Path(settings.BASE_DIR).parent / "shared"
UNVERIFIED = ("from memory", "not re-checked", "not verified")


def research(name):
    path = SHARED / "data" / name
    if not path.exists():
        pytest.skip(f"The research data {path} is not available in this checkout.")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def curated(django_db_setup, django_db_blocker):
    """What load_curated printed; the data stays loaded until the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        empty_before = not Site.objects.exists()
        out = io.StringIO()
        call_command("load_curated", stdout=out)
        yield {"empty_before": empty_before, "output": out.getvalue()}
        transaction.set_rollback(True)


@pytest.fixture
def palmyra(curated, db):
    return Site.objects.get(slug="palmyra")


def test_load_curated_fills_an_empty_database(curated, db):
    assert curated["empty_before"]
    assert "Loaded the curated data: 17 sites." in curated["output"]
    assert Site.objects.get(slug="temple-of-bel").parent.slug == "palmyra"


# Editorial rules -------------------------------------------------------------


def test_every_published_event_incident_and_assessment_cites_a_source(curated, db):
    for model in (HistoryEvent, Incident, ConditionAssessment):
        uncited = model.objects.published().annotate(n=Count("citations")).filter(n=0)
        assert list(uncited) == [], f"published {model._meta.verbose_name_plural} without a source"


def test_events_the_research_only_remembers_stay_drafts(curated, db):
    # An entry whose every source is a note like "standard history; not re-checked", with no
    # address and no quoted words, has no real source: it must not be published.
    unsourced = [
        entry["edtf"] for entry in research("palmyra_timeline.json")["events"]
        if all(any(flag in s for flag in UNVERIFIED) and "http" not in s and "'" not in s for s in entry["sources"])
    ]
    assert sorted(unsourced) == ["-0040", "0137-04", "0634", "2016-05-05"]
    assert not HistoryEvent.objects.published().filter(date__in=unsourced).exists()
    assert HistoryEvent.objects.filter(date__in=unsourced).count() == len(unsourced)


def test_confirmed_incidents_rest_on_direct_evidence(curated, db):
    confirmed = Incident.objects.filter(claim=ClaimStanding.CONFIRMED)
    assert sorted(confirmed.values_list("slug", flat=True)) == [
        "temple-of-baalshamin-destroyed-2015",
        "temple-of-bel-destroyed-2015",
        "tetrapylon-destroyed-2017",
        "theatre-facade-destroyed-2017",
    ]
    for incident in confirmed:
        evidence = incident.citations.filter(
            source__kind__in=[Source.Kind.IMAGERY, Source.Kind.MONITORING], source__reliability__in=["A", "B"]
        )
        assert evidence.exists(), f"{incident.slug} is confirmed without imagery or a reliable monitor"


def test_quotations_are_word_for_word_from_the_seed_article_or_the_research(curated, db):
    seed_dir = SHARED / "seeds"
    if not seed_dir.exists():
        pytest.skip(f"The seed article folder {seed_dir} is not available in this checkout.")
    seed = "\n".join(path.read_text(encoding="utf-8") for path in seed_dir.glob("*.txt"))
    data = "\n".join(path.read_text(encoding="utf-8") for path in (SHARED / "data").glob("*.json"))
    quoted = [(q.source, q.text) for q in Quotation.objects.select_related("source")]
    quoted += [(c.source, c.quote) for c in Citation.objects.exclude(quote="").select_related("source")]
    assert len(quoted) >= 10
    for source, text in quoted:
        where = seed if "dailymail.co.uk" in source.url else data
        assert text in where, f"“{text}” is not in the text of {source}"


def test_the_seed_article_is_graphic_archived_and_relies_on_sohr(curated, db):
    seed = Source.objects.get(url="https://www.dailymail.co.uk/news/article-3164999/index.html")

    assert seed.graphic
    assert seed.published == "2015-07-17"
    assert seed.archived_on.isoformat() == "2015-07-17"
    assert seed.archived_url.startswith("https://web.archive.org/web/20150717/")
    assert [s.publisher for s in seed.relies_on.all()] == ["Syrian Observatory for Human Rights"]
    assert seed.grading == "D3"


# The gazetteer -----------------------------------------------------------------


def test_every_syrian_site_has_an_arabic_name(curated, db):
    syrian = Site.objects.in_country("SY")
    assert syrian.count() == 17
    without_arabic = syrian.exclude(names__language="ar")
    assert list(without_arabic) == []
    assert all(name.is_rtl for name in SiteName.objects.filter(language="ar"))


def test_palmyra_has_its_monuments_as_parts(palmyra):
    parts = set(palmyra.parts.values_list("slug", flat=True))
    assert len(parts) >= 12
    assert {"temple-of-bel", "temple-of-baalshamin", "roman-theatre", "monumental-arch", "tetrapylon",
            "great-colonnade", "tower-of-elahbel", "hypogeum-three-brothers", "temple-of-al-lat",
            "camp-of-diocletian", "agora", "palmyra-museum"} <= parts
    assert Site.objects.get(slug="lion-of-al-lat").parent.slug == "temple-of-al-lat"
    assert Site.objects.get(slug="qasr-al-hayr-al-gharbi").parent is None


def test_names_find_sites_however_news_reports_spell_them(curated, db):
    def found(text):
        return set(Site.objects.named(text).values_list("slug", flat=True))

    assert "temple-of-baalshamin" in found("Ba'al Shamin") & found("Baalshamin")
    assert "monumental-arch" in found("Triumphal Arch") & found("Arch of Septimius Severus")
    assert "roman-theatre" in found("amphitheatre")
    assert "qasr-al-hayr-al-gharbi" in found("Western Hir Palace") & found("Qasr al-Heir al-Gharbi")
    assert "palmyra" in found("Tadmur") & found("تدمر") & found("Hadriana Palmyra")


def test_coordinates_match_the_research_data(curated, db):
    for monument in research("palmyra_identifiers.json")["monuments"]:
        site = Site.objects.get(slug=monument["key"])
        assert (site.latitude, site.longitude) == (monument["lat"], monument["lon"]), site.slug
        if monument["lat"] is None:
            assert site.location_certainty is None and site.location_source == ""
        else:
            assert site.location_source == monument["coord_source"]


def test_location_certainty_is_never_rounded_up(curated, db):
    scale = list(Certainty.objects.values_list("slug", flat=True))
    for monument in research("palmyra_identifiers.json")["monuments"]:
        if monument["lat"] is None:
            continue
        site = Site.objects.get(slug=monument["key"])
        stated = "high" if monument["confidence"] == "high" else "medium"
        assert scale.index(site.location_certainty.slug) >= scale.index(stated), site.slug


def test_identifiers_match_the_research_data(curated, db):
    for monument in research("palmyra_identifiers.json")["monuments"]:
        site = Site.objects.get(slug=monument["key"])
        expected = {
            authority: monument.get(authority)
            for authority in ("wikidata", "pleiades", "geonames")
            if monument.get(authority)
        }
        # The UNESCO number names the property, not each monument within it.
        if site.parent is None and monument["unesco_id"]:
            expected["unesco"] = str(monument["unesco_id"])
        assert dict(site.identifiers.values_list("authority", "value")) == expected, site.slug
    assert Identifier.objects.get(authority="unesco", value="20").site.slug == "damascus"


def test_the_aphrodisias_tetrapylon_is_not_linked_to_palmyra(curated, db):
    assert not Identifier.objects.filter(value="792804150").exists()
    assert not Site.objects.get(slug="tetrapylon").identifiers.exists()


def test_palmyra_is_described_relative_to_damascus(palmyra):
    assert palmyra.relative_description() == "about 215 km north-east of Damascus"


def test_palmyra_and_damascus_are_world_heritage_in_danger_since_2013(curated, db):
    for slug, reference, inscribed, criteria in [
        ("palmyra", "23", "1980", "(i)(ii)(iv)"),
        ("damascus", "20", "1979", "(i)(ii)(iii)(iv)(vi)"),
    ]:
        site = Site.objects.get(slug=slug)
        world_heritage = site.designations.get(kind="world-heritage")
        assert (world_heritage.reference, world_heritage.start, world_heritage.criteria) == (
            reference, inscribed, criteria,
        )
        assert site.designations.in_danger().current().get().start == "2013-06-20"
    assert Site.objects.get(slug="temple-of-bel").risk_profile.in_danger


# The record ----------------------------------------------------------------------


def test_the_record_holds_the_researched_timeline(curated, db):
    timeline = research("palmyra_timeline.json")["events"]
    assert HistoryEvent.objects.published().count() >= 30
    assert set(HistoryEvent.objects.values_list("date", flat=True)) >= {entry["edtf"] for entry in timeline}


def test_palmyras_timeline_runs_in_true_chronological_order_across_bc_and_ad(palmyra):
    lineage = [palmyra, *palmyra.parts.all()]
    dates = list(
        HistoryEvent.objects.published().filter(sites__in=lineage).distinct().chronological()
        .values_list("date", flat=True)
    )

    assert dates[:6] == ["-1899~/-1700~", "0014/0037", "0032", "0103", "0129", "0131"]
    assert dates[-2:] == ["2016-12-11/2017-01-10", "2017-03-02"]
    # The research file carries its own Julian-day sort keys: our order must agree with them.
    timeline = research("palmyra_timeline.json")["events"]
    sort_key = {entry["edtf"]: (entry["sort_jd_lower"], entry["sort_jd_upper"]) for entry in timeline}
    researched = [date for date in dates if date in sort_key]
    assert researched == sorted(researched, key=sort_key.get)


def test_the_theatres_timeline_is_in_order_and_drafts_are_left_out_for_readers(curated, db):
    theatre = Site.objects.get(slug="roman-theatre")

    assert list(theatre.events.chronological().values_list("date", flat=True)) == [
        "2015-05-27~", "2015-07-04", "2016-05-05", "2016-12-11/2017-01-10",
    ]
    assert "2016-05-05" not in theatre.events.published().values_list("date", flat=True)


def test_confidence_is_kept_as_the_research_gives_it_never_rounded_up(curated, db):
    levels = list(Confidence.values)  # strongest first
    for entry in research("palmyra_timeline.json")["events"]:
        given = entry["confidence"]
        if given in levels:
            expected = given
        else:  # "high (event) / medium (exact date)": the weaker of the levels named
            expected = max((level for level in levels if re.search(rf"\b{level}\b", given)), key=levels.index)
        assert HistoryEvent.objects.get(date=entry["edtf"]).confidence == expected, entry["edtf"]


def test_stored_date_bounds_words_and_name_keys_agree_with_their_text(curated, db):
    expected_bounds = functools.cache(bounds)  # parsing EDTF is slow; many rows share a date
    expected_words = functools.cache(in_words)
    for model in (Site, Designation, Source, HistoryEvent, Incident, ConditionAssessment):
        for row in model.objects.all():
            for name in row.edtf_fields:
                stored = (getattr(row, f"{name}_earliest"), getattr(row, f"{name}_latest"))
                assert stored == expected_bounds(getattr(row, name)), f"{model.__name__} {row}: {name}"
                words = {language: getattr(row, words_field(name, language)) for language in WORDS_LANGUAGES}
                assert words == expected_words(getattr(row, name)), f"{model.__name__} {row}: {name}"
    for name in SiteName.objects.all():
        assert name.folded == fold(name.name)


def test_destroyed_temples_have_their_condition_from_satellite_imagery(curated, db):
    for slug in ("temple-of-bel", "temple-of-baalshamin"):
        profile = Site.objects.get(slug=slug).risk_profile
        assert profile.condition.slug == "destroyed"
        assert profile.condition_assessment.assessor == "UNITAR-UNOSAT"
    assert Site.objects.get(slug="hypogeum-three-brothers").risk_profile.condition is None


# Vocabularies --------------------------------------------------------------------


def test_unesco_factors_have_fourteen_primaries_with_their_secondaries(curated, db):
    primaries = ThreatCategory.objects.primary()
    assert primaries.count() == 14
    assert sorted(int(code) for code in primaries.values_list("code", flat=True)) == list(range(1, 15))
    assert not ThreatCategory.objects.secondary().exclude(code="").exists()
    assert not ThreatCategory.objects.get(label="Other factor(s)").children.exists()
    war = ThreatCategory.objects.get(slug="war")
    assert (war.parent.label, war.parent.code) == ("Other human activities", "9")
    assert ThreatCategory.objects.get(label="Management systems/ management plan").slug == (
        "management-systems-management-plan"
    )


def test_eamena_scales_are_ordered_and_carry_arabic_labels(curated, db):
    assert list(ConditionState.objects.values_list("slug", flat=True)) == [
        "good", "fair", "poor", "very-bad", "destroyed", "unknown",
    ]
    assert list(Certainty.objects.values_list("label", flat=True)) == [
        "Definite", "High", "Medium", "Low", "Negligible", "Not Applicable",
    ]
    for model in (ConditionState, Certainty):
        for term in model.objects.all():
            assert term.label_ar and term.label_ar.count("(") == term.label_ar.count(")"), term
            assert term.source.startswith("EAMENA")


def test_every_curated_row_passes_the_validation_editors_get(curated, db):
    # URLs, BCP 47 tags, identifier formats, EDTF dates, coordinate ranges: what the admin would reject.
    models = [Site, SiteName, Identifier, Designation, Source, HistoryEvent, Incident, ConditionAssessment,
              ThreatCategory, ConditionState, Certainty]
    for model in models:
        for row in model.objects.all():
            row.full_clean(validate_unique=False)
