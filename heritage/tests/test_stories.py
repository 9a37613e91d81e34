import pytest
from django.template.loader import render_to_string

from heritage.models import Source, Status, Story
from heritage.tests.factories import make_incident, make_source
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db


def report(title, site, published, relies_on=(), quote=""):
    source = make_source(title, published=published, publisher="Example News")
    source.relies_on.set(relies_on)
    incident = make_incident([site], source=source)
    incident.citations.update(quote=quote)
    return source


@pytest.fixture
def palmyra():
    return make_site("Palmyra", slug="palmyra")


def test_reports_relying_on_the_same_primary_source_are_one_story(palmyra):
    observatory = make_source("Observatory statement", published="2015-07-16", kind=Source.Kind.MONITORING)
    first = report("Child executioner video", palmyra, "2015-07-17", relies_on=[observatory])
    second = report("Boy filmed killing soldier", make_site("Elsewhere"), "2015-08-20", relies_on=[observatory])

    assert Story.same_event(first, second)
    assert Story.assign(first) == Story.assign(second)


def test_reports_on_the_same_site_days_apart_with_similar_words_are_one_story(palmyra):
    first = report("Islamic State blows up Temple of Bel in Palmyra", palmyra, "2015-08-31")
    second = report("Satellite images confirm Temple of Bel in Palmyra blown up", palmyra, "2015-09-01")

    assert Story.same_event(first, second)


def test_reports_weeks_apart_or_on_other_sites_are_different_stories(palmyra):
    first = report("Islamic State blows up Temple of Bel in Palmyra", palmyra, "2015-08-31")
    later = report("Islamic State blows up Temple of Bel in Palmyra", palmyra, "2015-10-20")
    elsewhere = report("Islamic State blows up Temple of Bel in Palmyra", make_site("Hatra"), "2015-08-31")

    assert not Story.same_event(first, later)
    assert not Story.same_event(first, elsewhere)


def test_unrelated_words_on_the_same_site_and_day_are_different_stories(palmyra):
    first = report("Temple of Bel destroyed by explosives", palmyra, "2015-08-31")
    second = report("Tourism ministry plans museum reopening", palmyra, "2015-08-31")

    assert not Story.same_event(first, second)


def test_a_sites_reports_come_grouped_by_story_with_counts(palmyra, django_assert_num_queries):
    observatory = make_source("Observatory statement", published="2015-07-16", kind=Source.Kind.MONITORING)
    for number in range(6):
        Story.assign(report(f"Report {number} of the execution video", palmyra, "2015-07-17", relies_on=[observatory]))
    Story.assign(report("Temple of Bel destroyed", palmyra, "2015-08-31"))
    hidden = report("Draft about the arch", palmyra, "2015-10-05")
    hidden.status = Status.DRAFT
    hidden.save()
    Story.assign(hidden)

    with django_assert_num_queries(4):  # stories, their visible reports, what those rely on, and the next level
        stories = list(Story.objects.for_site(palmyra))
        lines = [story.counts_display for story in stories]

    assert lines == ["1 report, 1 primary source", "6 reports, 1 primary source"]


def test_the_site_stories_include_renders_the_groups(palmyra):
    observatory = make_source("Observatory statement", published="2015-07-16")
    for number in range(2):
        Story.assign(report(f"Report {number}", palmyra, "2015-07-17", relies_on=[observatory]))

    html = render_to_string("heritage/includes/site_stories.html", {"stories": Story.objects.for_site(palmyra)})

    assert "2 reports, 1 primary source" in html
    assert "Observatory statement" in html
    assert "style=" not in html and "<script" not in html


def test_group_stories_files_ungrouped_sources_and_can_regroup(palmyra):
    from io import StringIO

    from django.core.management import call_command

    observatory = make_source("Observatory statement", published="2015-07-16")
    for number in range(3):
        report(f"Report {number}", palmyra, "2015-07-17", relies_on=[observatory])
    out = StringIO()

    call_command("group_stories", stdout=out)
    call_command("group_stories", "--regroup", stdout=out)

    assert "Filed 4 sources; 1 story in all." in out.getvalue()
    assert Story.objects.get().reports.count() == 4
