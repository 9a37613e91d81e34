import itertools

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from heritage.models import (
    CategoryKeywordRule,
    Citation,
    ClaimStanding,
    ConditionAssessment,
    DamageExtent,
    DamageTrend,
    Effect,
    HistoryEvent,
    Incident,
    Organisation,
    OrganisationName,
    Quotation,
    RiskProfile,
    Source,
    Status,
    Story,
    ThreatCategory,
)
from heritage.tests.factories import (
    make_actor,
    make_assessment,
    make_category,
    make_condition,
    make_event,
    make_incident,
    make_source,
)
from sites.models import Designation, Site
from sites.tests.admin_forms import admin_url, count_queries, form_data, messages_of, post_action
from sites.tests.factories import (
    PALMYRA,
    make_certainty,
    make_designation,
    make_identifier,
    make_kind,
    make_name,
    make_name_kind,
    make_site,
)

_numbers = itertools.count(1)

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in ("sites", "heritage")),
    key=lambda model: model._meta.label,
)


@pytest.fixture
def palmyra(db):
    site = make_site("Site of Palmyra", slug="palmyra", kind="city", **PALMYRA)
    make_name(site, "تدمر", language="ar")
    make_identifier(site, "wikidata", "Q5747")
    make_designation(site, start="1980", reference="23", criteria="(i)(ii)(iv)")
    make_designation(site, kind=Designation.Kind.IN_DANGER, start="2013")
    RiskProfile.objects.record_changed([site])  # as every writer ends; the factories write raw
    return site


def grow(count, palmyra):
    """Add ``count`` rows to every model the admin lists, related the way the record relates them."""
    for _ in range(count):
        number = next(_numbers)
        site = make_site(f"Monument {number}", kind=f"kind-{number}", parent=palmyra)
        make_name(site, f"معلم {number}", language="ar", kind=f"name-kind-{number}")
        make_identifier(site, "geonames", str(7000000 + number))
        make_designation(site, kind=Designation.Kind.NATIONAL, start=str(1900 + number))
        source = make_source(publisher=f"Publisher {number}", url=f"https://example.org/report/{number}")
        source.relies_on.add(Source.objects.order_by("pk").first())
        Quotation.objects.create(source=source, text=f"Quoted passage {number}", supports=f"Claim {number}")
        make_event([site, palmyra], source=source)
        category = make_category(f"Factor {number}")
        CategoryKeywordRule.objects.create(category=category, keywords=f"keyword {number}")  # report intake
        organisation = Organisation.objects.create(slug=f"organisation-{number}", name=f"Organisation {number}")
        OrganisationName.objects.create(organisation=organisation, name=f"Organisation {number}", language="en")
        Story.assign(source)
        make_incident(
            [site, palmyra],
            source=source,
            category=category,
            actor=make_actor(f"Actor {number}"),
            certainty=make_certainty(f"certainty-{number}"),
            effect=Effect.objects.create(slug=f"effect-{number}", label=f"Effect {number}"),
            damage_extent=DamageExtent.objects.create(slug=f"extent-{number}", label=f"Extent {number}"),
        )
        make_assessment(
            site,
            state=["good", "fair", "poor", "destroyed"][number % 4],
            source=source,
            trend=DamageTrend.objects.create(slug=f"trend-{number}", label=f"Trend {number}"),
        )
        make_kind(f"spare-kind-{number}")
        make_name_kind(f"spare-name-kind-{number}")


@pytest.fixture
def record(palmyra):
    """At least one row of every model."""
    grow(1, palmyra)
    return palmyra


# Every page renders, with queries that do not grow with the data ---------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_list_change_form_history_and_add_form_renders_for_an_editor(editor, record, model):
    assert editor.get(admin_url(model, "changelist")).status_code == 200
    assert editor.get(admin_url(model, "changelist"), {"_facets": "True"}).status_code == 200
    first = model.objects.first()
    assert editor.get(admin_url(model, "change", first.pk)).status_code == 200
    assert editor.get(admin_url(model, "history", first.pk)).status_code == 200
    # Risk profiles are derived from the record: nobody adds them by hand.
    assert editor.get(admin_url(model, "add")).status_code == (403 if model is RiskProfile else 200)


def test_every_changelist_runs_the_same_queries_for_many_rows_as_for_few(editor, palmyra):
    grow(2, palmyra)
    few = {model._meta.label: count_queries(editor, admin_url(model, "changelist")) for model in REGISTERED}
    grow(4, palmyra)
    many = {model._meta.label: count_queries(editor, admin_url(model, "changelist")) for model in REGISTERED}

    assert many == few


def test_record_pages_run_the_same_queries_for_many_citations_as_for_few(editor, palmyra):
    grow(1, palmyra)
    records = [Incident.objects.first(), HistoryEvent.objects.first(), ConditionAssessment.objects.first()]
    source = Source.objects.first()
    pages = [admin_url(type(fact), "change", fact.pk) for fact in records]
    pages.append(admin_url(Source, "change", source.pk))
    few = [count_queries(editor, page) for page in pages]
    field = {Incident: "incident", HistoryEvent: "event", ConditionAssessment: "assessment"}
    for _ in range(4):
        cited = make_source()
        for fact in records:
            Citation.objects.create(source=cited, locator="p. 2", **{field[type(fact)]: fact})
        Quotation.objects.create(source=source, text="More", supports="More")
        source.relies_on.add(cited)

    assert [count_queries(editor, page) for page in pages] == few
    # The citations' sources are labelled from the rows already read, not one query each.
    page = editor.get(pages[0])
    assert f'<option value="{cited.pk}" selected>{cited}</option>' in page.text


def test_the_incident_list_runs_a_fixed_number_of_queries(editor, palmyra, django_assert_num_queries):
    grow(5, palmyra)

    # Session, user, user's and group's permissions; the filters' choices (primary and
    # secondary factors, actors, certainties, effects, countries in use); filtered and
    # total counts; the page of incidents with category, certainty and actor; their sites.
    with django_assert_num_queries(14):
        editor.get(admin_url(Incident, "changelist"))


def test_the_history_event_list_runs_a_fixed_number_of_queries(editor, palmyra, django_assert_num_queries):
    grow(5, palmyra)

    # Session, user, two permission queries, countries in use, two counts, events, their sites.
    with django_assert_num_queries(9):
        editor.get(admin_url(HistoryEvent, "changelist"))


# Dates -------------------------------------------------------------------------------


def test_history_events_are_listed_in_true_chronological_order_across_bce_and_ad(editor, palmyra):
    for date in ["2015-08-30", "0032", "-0040", "0140~/0160~", "-1899~/-1700~", "1980"]:
        make_event([palmyra], title=f"Event dated {date}", date=date)

    response = editor.get(admin_url(HistoryEvent, "changelist"))

    assert [event.date for event in response.context["cl"].result_list] == [
        "-1899~/-1700~", "-0040", "0032", "0140~/0160~", "1980", "2015-08-30",
    ]
    assert ">41 BC</a></th>" in response.text
    assert "c. AD 140–160" in response.text


def test_the_date_field_explains_edtf_with_examples(editor, db):
    response = editor.get(admin_url(HistoryEvent, "add"))

    assert "EDTF date. Examples: 2015-08-30 (a day)" in response.text
    assert "-0040 (41 BC: years are astronomical, 0000 is 1 BC)" in response.text


def test_an_invalid_edtf_date_is_rejected_with_the_message(editor, palmyra):
    form = form_data(
        editor.get(admin_url(HistoryEvent, "add")),
        title="Dedication of the Temple of Bel", slug="dedication", kind="dedication",
        date="6 April 32", sites=[palmyra.pk],
    )

    response = editor.post(admin_url(HistoryEvent, "add"), form)

    assert response.status_code == 200
    assert "“6 April 32” is not a valid EDTF date." in response.text
    assert not HistoryEvent.objects.exists()


def test_a_date_error_offers_the_nearest_valid_form_and_the_examples_appear_once(editor, palmyra):
    form = form_data(
        editor.get(admin_url(HistoryEvent, "add")),
        title="Temple of Bel destroyed", slug="bel-destroyed", kind="destruction", date="August 2015",
        sites=[palmyra.pk],
    )

    response = editor.post(admin_url(HistoryEvent, "add"), form)

    assert response.context["adminform"].form.errors["date"] == [
        "“August 2015” is not a valid EDTF date. Did you mean “2015-08” (August 2015)?"
    ]
    assert response.text.count("EDTF date. Examples:") == 1  # the field's help, not repeated in the error


# Citations ------------------------------------------------------------------------------


def test_a_citation_must_support_exactly_one_fact(editor, palmyra):
    event, incident = make_event([palmyra]), make_incident([palmyra])
    page = editor.get(admin_url(Citation, "add"))

    both = editor.post(
        admin_url(Citation, "add"), form_data(page, source=make_source().pk, event=event.pk, incident=incident.pk)
    )
    neither = editor.post(admin_url(Citation, "add"), form_data(page, source=make_source().pk))

    message = "A citation supports exactly one fact: choose a history event, an incident or a condition assessment."
    assert message in both.text
    assert message in neither.text
    assert "citation_cites_exactly_one_fact" not in both.text
    assert Citation.objects.count() == 2


# Actions -------------------------------------------------------------------------------


def test_the_publish_action_publishes_sources(editor, db):
    draft = make_source("Draft report", status=Status.DRAFT)
    already = make_source("Published report")

    response = post_action(editor, Source, "publish_selected", [draft, already])

    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at is not None
    assert messages_of(response) == ["Published 1 source.", "1 source already published."]


def test_the_confirm_action_marks_claims_confirmed(editor, alice, palmyra):
    alleged = make_incident([palmyra], claim=ClaimStanding.ALLEGED)
    corroborated = make_incident([palmyra], claim=ClaimStanding.CORROBORATED)

    response = post_action(editor, Incident, "confirm_claims", [alleged, corroborated])

    assert set(Incident.objects.values_list("claim", flat=True)) == {ClaimStanding.CONFIRMED}
    assert messages_of(response) == ["Marked 2 incident claims confirmed by direct evidence."]
    assert alleged.history.latest().history_user == alice


def test_actions_are_offered_only_to_users_who_may_change(client, django_user_model, palmyra):
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    group = Group.objects.create(name="readers")
    group.permissions.set(Permission.objects.filter(codename__startswith="view_", content_type__app_label="heritage"))
    reader.groups.add(group)
    incident = make_incident([palmyra], status=Status.DRAFT)
    client.force_login(reader)

    response = client.get(admin_url(Incident, "changelist"))
    refused = post_action(client, Incident, "confirm_claims", [incident])

    assert "publish_selected" not in response.text
    assert "confirm_claims" not in response.text
    incident.refresh_from_db()
    assert incident.claim == ClaimStanding.ALLEGED
    assert refused.status_code == 200


# Filters and vocabularies ----------------------------------------------------------------


def test_the_primary_factor_filter_finds_incidents_filed_under_its_secondary_factors(editor, palmyra):
    destruction = make_incident([palmyra], category=make_category("Deliberate destruction of heritage"))
    other = ThreatCategory.objects.create(slug="pollution", label="Pollution", code="3")
    polluted = make_incident([palmyra], category=other)
    primary = destruction.category.parent

    response = editor.get(admin_url(Incident, "changelist"), {"primary": primary.pk})
    secondary = editor.get(admin_url(Incident, "changelist"), {"secondary": destruction.category.pk})

    assert list(response.context["cl"].result_list) == [destruction]
    assert list(secondary.context["cl"].result_list) == [destruction]
    assert polluted not in secondary.context["cl"].result_list


def test_the_country_filter_lists_an_incident_at_several_sites_once(editor, palmyra):
    temple = make_site("Temple of Bel", parent=palmyra)
    incident = make_incident([palmyra, temple])
    make_incident([make_site("A site in Iraq", countries=("IQ",))])

    response = editor.get(admin_url(Incident, "changelist"), {"country": "SY"})

    assert list(response.context["cl"].result_list) == [incident]


def test_the_site_pages_links_filter_the_record_by_site(editor, palmyra):
    incident = make_incident([palmyra])
    make_incident([make_site("Elsewhere")])

    response = editor.get(admin_url(Incident, "changelist"), {"sites__id__exact": palmyra.pk})

    assert list(response.context["cl"].result_list) == [incident]


def test_threat_categories_are_listed_by_primary_factor(editor, db):
    make_category("Deliberate destruction of heritage")
    ThreatCategory.objects.create(slug="pollution", label="Pollution", code="3", position=3)
    make_category("Illegal activities")
    ThreatCategory.objects.filter(slug="other-human-activities").update(position=9)

    listed = editor.get(admin_url(ThreatCategory, "changelist")).context["cl"].result_list
    secondary = editor.get(admin_url(ThreatCategory, "changelist"), {"level": "secondary"}).context["cl"].result_list

    assert [category.label for category in listed] == [
        "Pollution", "Other human activities", "Deliberate destruction of heritage", "Illegal activities",
    ]
    assert [category.label for category in secondary] == ["Deliberate destruction of heritage", "Illegal activities"]


def test_the_source_list_shows_the_admiralty_grading(editor, db):
    make_source("Report", publisher="ASOR CHI", reliability="B", credibility="2")

    response = editor.get(admin_url(Source, "changelist"))

    assert '<abbr title="B – Usually reliable; 2 – Probably true">B2</abbr>' in response.text


def test_the_site_list_filters_and_sorts_by_risk(editor, palmyra):
    make_site("An unassessed site")

    by_risk = editor.get(admin_url(Site, "changelist"), {"o": "6"})  # the seventh column, risk: highest first
    in_danger = editor.get(admin_url(Site, "changelist"), {"risk_profile__in_danger__exact": "1"})

    assert [site.name for site in by_risk.context["cl"].result_list] == ["Site of Palmyra", "An unassessed site"]
    assert "<td class=\"field-risk\">High</td>" in by_risk.text
    assert list(in_danger.context["cl"].result_list) == [palmyra]


# Risk profile ------------------------------------------------------------------------------


def test_a_risk_profile_is_read_only_and_can_be_recomputed(editor, palmyra):
    make_assessment(palmyra, state="destroyed")
    RiskProfile.objects.filter(site=palmyra).update(risk_level="low", condition=make_condition("good"))
    profile = RiskProfile.objects.get(site=palmyra)

    page = editor.get(admin_url(RiskProfile, "change", palmyra.pk))
    response = post_action(editor, RiskProfile, "refresh", [profile])

    assert 'name="_save"' not in page.text
    profile.refresh_from_db()
    assert profile.risk_level == "high"
    assert profile.condition.slug == "destroyed"
    assert messages_of(response) == ["Recomputed the condition and risk of 1 site."]


# Audit trail --------------------------------------------------------------------------------


def test_editing_an_incident_is_recorded_with_the_editor_and_can_be_reverted(editor, alice, palmyra):
    incident = make_incident([palmyra], claim=ClaimStanding.ALLEGED)
    page = editor.get(admin_url(Incident, "change", incident.pk))
    editor.post(admin_url(Incident, "change", incident.pk), form_data(page, claim=ClaimStanding.DISPUTED))
    assert incident.history.latest().history_user == alice
    history = editor.get(admin_url(Incident, "history", incident.pk))
    assert "<strong>Claim:</strong>" in history.text
    before = incident.history.filter(claim=ClaimStanding.ALLEGED).latest()
    revert_url = admin_url(Incident, "simple_history", incident.pk, before.history_id)

    response = editor.post(revert_url, form_data(editor.get(revert_url)))

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.claim == ClaimStanding.ALLEGED


def test_reverting_to_a_published_version_that_has_lost_its_citations_is_refused(editor, palmyra):
    incident = make_incident([palmyra])
    published = incident.history.latest()
    incident.status = Status.DRAFT
    incident.save()
    incident.citations.all().delete()
    revert_url = admin_url(Incident, "simple_history", incident.pk, published.history_id)

    response = editor.post(revert_url, form_data(editor.get(revert_url)))

    assert response.status_code == 200
    assert "A published incident must cite at least one source." in response.text
    incident.refresh_from_db()
    assert incident.status == Status.DRAFT


def test_a_user_without_permissions_is_refused_the_record(client, charlie, palmyra):
    charlie.is_staff = True
    charlie.save()
    incident = make_incident([palmyra], status=Status.DRAFT)
    client.force_login(charlie)

    assert client.get(admin_url(Incident, "changelist")).status_code == 403
    assert client.get(admin_url(Incident, "change", incident.pk)).status_code == 403
    assert post_action(client, Incident, "publish_selected", [incident]).status_code == 403
    incident.refresh_from_db()
    assert incident.status == Status.DRAFT


def test_sites_in_the_record_are_found_by_any_name_in_autocomplete(editor, palmyra):
    response = editor.get(
        reverse("admin:autocomplete"),
        {"term": "تدمر", "app_label": "heritage", "model_name": "incident", "field_name": "sites"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Site of Palmyra"]

