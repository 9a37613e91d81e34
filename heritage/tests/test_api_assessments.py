import pytest
from django.db.models import Max

from heritage.models import ConditionAssessment, Status
from heritage.tests.factories import make_assessment, make_condition, make_source
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/assessments/"


@pytest.fixture
def palmyra():
    return make_site("Site of Palmyra", slug="palmyra")


@pytest.fixture
def bel(palmyra):
    return make_site("Temple of Bel", slug="temple-of-bel", parent=palmyra)


def assessors(response):
    assert response.status_code == 200, response.content
    return [item["assessor"] for item in response.json()["results"]]


def test_an_assessment_is_found_by_id_with_its_site_and_state(api, bel):
    assessment = make_assessment(bel, "destroyed", date="2015-08-31", assessor="UNOSAT")
    body = api.get(f"{ASSESSMENTS}{assessment.pk}/").json()
    assert body["url"] == f"http://testserver/api/v1/assessments/{assessment.pk}/"
    assert body["site"]["slug"] == "temple-of-bel"
    assert body["state"] == {"slug": "destroyed", "label": "Destroyed"}
    assert body["date_display"] == "31 August 2015"
    assert len(body["citations"]) == 1
    absent = ConditionAssessment.objects.aggregate(Max("pk"))["pk__max"] + 1
    assert api.get(f"{ASSESSMENTS}{absent}/").status_code == 404
    assert api.get(f"{ASSESSMENTS}not-a-number/").status_code == 404


def test_it_filters_assessments_by_site_condition_assessor_and_date(api, palmyra, bel):
    make_assessment(bel, "destroyed", date="2015-08-31", assessor="UNOSAT")
    make_assessment(palmyra, "poor", date="2016-04-27", assessor="UNESCO")
    make_assessment(make_site(), "good", date="2010", assessor="DGAM")
    assert assessors(api.get(ASSESSMENTS, {"site": "palmyra", "ordering": "date"})) == ["UNOSAT", "UNESCO"]
    assert assessors(api.get(ASSESSMENTS, {"condition": "destroyed"})) == ["UNOSAT"]
    assert assessors(api.get(ASSESSMENTS, {"assessor": "unes"})) == ["UNESCO"]
    assert assessors(api.get(ASSESSMENTS, {"date_to": "2014", "ordering": "-date"})) == ["DGAM"]
    assert assessors(api.get(ASSESSMENTS, {"ordering": "-date"})) == ["UNESCO", "UNOSAT", "DGAM"]
    assert api.get(ASSESSMENTS, {"condition": "sparkling"}).status_code == 400


def test_draft_assessments_are_hidden_from_readers(api, api_as, alice, bel):
    draft = make_assessment(bel, status=Status.DRAFT)
    assert assessors(api.get(ASSESSMENTS)) == []
    assert api.get(f"{ASSESSMENTS}{draft.pk}/").status_code == 404
    assert api_as(alice).get(f"{ASSESSMENTS}{draft.pk}/").status_code == 200


def test_a_published_assessment_updates_the_sites_condition(api_as, alice, bel):
    make_condition("destroyed")
    source = make_source()
    response = api_as(alice).post(ASSESSMENTS, {
        "site": "temple-of-bel", "state": "destroyed", "assessor": "UNOSAT", "date": "2015-08-31",
        "status": "published", "citations": [{"source": source.slug}],
    }, format="json")
    assert response.status_code == 201, response.content
    assert response["Location"] == f"http://testserver/api/v1/assessments/{response.json()['id']}/"
    bel.risk_profile.refresh_from_db()
    assert bel.risk_profile.condition.slug == "destroyed"
    assert ConditionAssessment.objects.get().history.get().history_user == alice


def test_the_same_assessment_twice_is_refused(api_as, alice, bel):
    make_assessment(bel, "poor", date="2016-04-27", assessor="UNESCO", status=Status.DRAFT)
    response = api_as(alice).post(ASSESSMENTS, {
        "site": "temple-of-bel", "state": "poor", "assessor": "UNESCO", "date": "2016-04-27",
    }, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field_errors"]


def test_the_assessment_list_takes_three_queries(api, bel, django_assert_num_queries):
    make_assessment(bel)
    # count, the page (site and vocabularies joined), the citations with their sources
    with django_assert_num_queries(3):
        api.get(ASSESSMENTS)
    for number in range(5):
        make_assessment(make_site(), date=f"201{number}")
    with django_assert_num_queries(3):
        api.get(ASSESSMENTS)
