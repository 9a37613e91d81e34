import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from heritage.models import Organisation, OrganisationName, Source
from sites.text import fold

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "organisations.json"


@pytest.fixture
def organisations():
    call_command("loaddata", "organisations", verbosity=0)


def fixture_names():
    return [row["fields"] for row in json.loads(FIXTURE.read_text(encoding="utf-8"))
            if row["model"] == "heritage.organisationname"]


def test_every_name_in_the_fixture_is_written_in_the_script_it_claims():
    for name in fixture_names():
        letters = OrganisationName.SCRIPT_LETTERS[name["script"]]
        assert OrganisationName.is_written_in(name["name"], letters), name["name"]


def test_every_name_in_the_fixture_says_where_it_comes_from_and_is_folded_as_save_would():
    for name in fixture_names():
        assert name["source_url"].startswith("https://"), name["name"]
        assert name["folded"] == fold(name["name"])


def test_the_fixture_is_what_its_builder_writes():
    from fixtures.tools.build_organisations import rows

    assert json.loads(FIXTURE.read_text(encoding="utf-8")) == rows()


def test_every_organisation_has_a_default_grading_with_its_reason(organisations):
    for organisation in Organisation.objects.all():
        assert organisation.reliability in "ABCD", organisation
        assert f" {organisation.reliability} under " in f" {organisation.reliability_reason}", organisation
        assert organisation.source_url.startswith("https://"), organisation


def test_the_observatory_is_found_by_each_of_its_names(organisations):
    observatory = Organisation.objects.get(slug="syrian-observatory-for-human-rights")

    for written in ("Syrian Observatory for Human Rights", "SOHR", "the Syrian observatory for human rights",
                    "المرصد السوري لحقوق الإنسان", "المرصد السوري لحقوق الانسان"):
        assert list(Organisation.objects.named(written)) == [observatory], written


def test_a_publisher_written_with_a_bracket_or_the_is_found():
    daily_mail = Organisation.objects.create(slug="daily-mail", name="Daily Mail")
    OrganisationName.objects.create(organisation=daily_mail, name="Daily Mail", language="en")

    assert list(Organisation.objects.named("Daily Mail (MailOnline)")) == [daily_mail]
    assert list(Organisation.objects.named("The Daily Mail")) == [daily_mail]
    assert list(Organisation.objects.named("Daily Express")) == []


def test_an_organisation_is_found_by_the_domain_of_a_reports_address(organisations):
    assert [o.slug for o in Organisation.objects.for_url("https://www.bbc.co.uk/news/world-34110211")] == ["bbc"]
    assert [o.slug for o in Organisation.objects.for_url("https://news.bbc.com/x")] == ["bbc"]
    assert [o.slug for o in Organisation.objects.for_url("https://whc.unesco.org/en/list/23/")] == ["unesco"]
    assert list(Organisation.objects.for_url("https://notbbc.co.uk/")) == []
    assert list(Organisation.objects.for_url("")) == []


def test_a_name_said_to_be_arabic_must_be_written_in_arabic_letters():
    observatory = Organisation.objects.create(slug="sohr", name="Syrian Observatory for Human Rights")
    name = OrganisationName(organisation=observatory, name="SOHR", language="ar", script="Arab")

    with pytest.raises(ValidationError) as error:
        name.full_clean()

    assert error.value.message_dict == {"script": ["“SOHR” is not written only in the Arabic script."]}


def test_a_claim_known_only_through_a_report_becomes_a_draft_source_graded_by_its_organisation(organisations):
    observatory = Organisation.objects.get(slug="syrian-observatory-for-human-rights")
    report = Source.objects.create(slug="toronto-sun-report", kind="news", title="Boy beheads soldier",
                                   publisher="Toronto Sun", published="2015-07-17", graphic=True)

    claim = observatory.claim_cited_by(report)

    assert (claim.title, claim.publisher, claim.published, claim.kind, claim.reliability, claim.status,
            claim.graphic) == (
        "[Report by Syrian Observatory for Human Rights, as cited by Toronto Sun]",
        "Syrian Observatory for Human Rights", "2015-07-17?", "monitoring", "C", "draft", True,
    )
    assert claim.slug == "syrian-observatory-for-human-rights-claim-2015-07-17"
    assert observatory.claim_cited_by(report).slug == "syrian-observatory-for-human-rights-claim-2015-07-17-2"


def test_editors_find_organisations_by_any_name_in_the_admin(editor, organisations):
    from django.urls import reverse

    listing = editor.get(reverse("admin:heritage_organisation_changelist"), {"q": "المرصد"}).content.decode()
    page = editor.get(reverse("admin:heritage_organisation_change", args=[
        Organisation.objects.get(slug="sana").pk])).content.decode()

    assert "Syrian Observatory for Human Rights" in listing and "Reuters" not in listing
    assert "الوكالة العربية السورية للأنباء" in page and "state news agency" in page


def test_the_intake_autocompletes_organisations_for_new_claims(editor, organisations):
    response = editor.get("/admin/autocomplete/", {
        "app_label": "heritage", "model_name": "organisationname", "field_name": "organisation", "term": "SOHR",
    })

    assert [result["text"] for result in response.json()["results"]] == ["Syrian Observatory for Human Rights"]
