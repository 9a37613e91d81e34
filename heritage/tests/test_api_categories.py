import pytest

from heritage.tests.factories import make_category

pytestmark = pytest.mark.django_db

CATEGORIES = "/api/v1/categories/"


def test_categories_show_their_parent_and_children(api):
    category = make_category()
    body = api.get(f"{CATEGORIES}{category.parent.slug}/").json()
    assert body["label"] == "Other human activities"
    assert body["parent"] is None
    assert body["children"] == [{
        "slug": category.slug, "label": category.label,
        "url": f"http://testserver/api/v1/categories/{category.slug}/",
    }]


def test_categories_filter_by_level_parent_and_label(api):
    category = make_category()
    war = make_category("War", code="9.1")

    def slugs(params):
        return [item["slug"] for item in api.get(CATEGORIES, params).json()["results"]]

    assert slugs({"level": "primary"}) == ["other-human-activities"]
    assert slugs({"level": "secondary"}) == [category.slug, war.slug]
    assert slugs({"parent": "other-human-activities", "q": "war"}) == [war.slug]
    assert api.get(CATEGORIES, {"level": "tertiary"}).status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_categories_are_read_only_even_for_reviewers(api_as, bob, method):
    category = make_category()
    url = CATEGORIES if method == "post" else f"{CATEGORIES}{category.slug}/"
    response = getattr(api_as(bob), method)(url, {"label": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_the_category_list_takes_three_queries(api, django_assert_num_queries, settings):
    settings.RESPONSE_CACHE_SECONDS = 0  # the queries of building the response, not of a cached hit
    make_category()
    # count, the page with parents, the children
    with django_assert_num_queries(3):
        api.get(CATEGORIES)
    for number in range(5):
        make_category(f"Factor {number}")
    with django_assert_num_queries(3):
        api.get(CATEGORIES)
