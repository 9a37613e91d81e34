from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from heritage.models import Source, Status, Story
from heritage.tests.factories import make_category, make_incident, make_source
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db


def report(title, site, published, relies_on=(), quote="", category=None):
    source = make_source(title, published=published, publisher="Example News")
    source.relies_on.set(relies_on)
    incident = make_incident([site], source=source, category=category)
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


def test_reports_of_the_same_threat_at_the_same_site_within_days_are_one_story_whatever_their_words(palmyra):
    first = report("Temple of Bel destroyed by explosives", palmyra, "2015-08-30")
    second = report("Jihadists strike again in the desert city", palmyra, "2015-09-02")

    assert Story.same_event(first, second)


def test_other_threats_at_the_same_site_and_day_in_other_words_are_different_stories(palmyra):
    first = report("Temple of Bel destroyed by explosives", palmyra, "2015-08-31")
    second = report("Tourism ministry plans museum reopening", palmyra, "2015-08-31",
                    category=make_category("Tourism / visitor / recreation", code="10.1"))

    assert not Story.same_event(first, second)


@pytest.fixture
def parts(palmyra):
    return {slug: make_site(slug.replace("-", " ").title(), slug=slug, parent=palmyra)
            for slug in ("temple-of-bel", "tower-of-elahbel")}


def test_a_threat_at_a_whole_and_at_its_part_within_two_days_is_one_story(palmyra, parts):
    whole = report("Jihadists strike again in the desert city", palmyra, "2015-08-31")
    part = report("Temple destroyed by explosives", parts["temple-of-bel"], "2015-09-02")
    lion = make_site("Lion", slug="lion", parent=parts["temple-of-bel"])
    deeper = report("Statue smashed", lion, "2015-09-01")

    assert Story.same_event(whole, part) and Story.same_event(part, whole)
    assert Story.same_event(whole, deeper)
    assert Story.assign(whole) == Story.assign(part)


def test_a_whole_and_its_part_further_apart_or_dated_only_by_month_are_different_stories(palmyra, parts):
    part = report("Temple destroyed by explosives", parts["temple-of-bel"], "2015-08-31")
    days_later = report("Jihadists strike again in the desert city", palmyra, "2015-09-03")
    this_month = report("Jihadists strike again in the desert city", palmyra, "2015-09")

    assert Story.same_event(part, report("Jihadists strike again", palmyra, "2015-09-02"))
    assert not Story.same_event(part, days_later)
    assert not Story.same_event(report("Temple destroyed", parts["temple-of-bel"], "2015-09-04"), this_month)


def test_two_parts_of_one_whole_are_not_one_place(palmyra, parts):
    bel = report("Temple destroyed by explosives", parts["temple-of-bel"], "2015-08-31")
    tomb = report("Tomb destroyed by explosives", parts["tower-of-elahbel"], "2015-08-31")

    assert not Story.same_event(bel, tomb)


def test_a_report_of_a_part_does_not_join_through_its_whole_a_story_of_another_part(palmyra, parts):
    bel = report("Temple destroyed by explosives", parts["temple-of-bel"], "2015-09-02")
    whole = report("Jihadists strike again in the desert city", palmyra, "2015-09-03")
    tomb = report("Tomb destroyed by explosives", parts["tower-of-elahbel"], "2015-09-04")
    story = Story.assign(bel)

    assert Story.assign(whole) == story
    assert Story.same_event(tomb, whole)
    assert Story.assign(tomb) != story


def test_a_sites_reports_come_grouped_by_story_with_counts(palmyra, django_assert_num_queries):
    observatory = make_source("Observatory statement", published="2015-07-16", kind=Source.Kind.MONITORING)
    for number in range(6):
        Story.assign(report(f"Report {number} of the execution video", palmyra, "2015-07-17", relies_on=[observatory]))
    Story.assign(report("Temple of Bel destroyed", palmyra, "2015-08-31"))
    hidden = report("Draft about the arch", palmyra, "2015-10-05")
    hidden.status = Status.DRAFT
    hidden.save()
    Story.assign(hidden)

    with django_assert_num_queries(4):  # stories, their visible reports, (report, primary source) pairs, primaries
        stories = list(Story.objects.for_site(palmyra))
        lines = [story.counts_display for story in stories]

    assert lines == ["1 report, 1 primary source", "6 reports, 1 primary source"]


def test_a_story_names_no_draft_however_far_up_the_chain_it_is(palmyra, django_assert_num_queries):
    draft = make_source("Unchecked claim", published="2015-07-15", status=Status.DRAFT)
    statement = make_source("Observatory statement", published="2015-07-16")
    statement.relies_on.add(draft)
    wire = make_source("Wire story", published="2015-07-16")
    wire.relies_on.add(statement)
    Story.assign(report("Newspaper report", palmyra, "2015-07-17", relies_on=[wire]))

    with django_assert_num_queries(4):
        stories = Story.objects.for_site(palmyra)

    assert [source.title for source in stories[0].primary_sources] == ["Observatory statement"]
    everyone = Story.objects.for_site(palmyra, reports=Source.objects.all())
    assert [source.title for source in everyone[0].primary_sources] == ["Unchecked claim"]


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


SEED = Path("/work/shared/seeds/dailymail-2015-07-17-palmyra-child-execution.txt")
# SYNTHETIC: a short stand-in for the Toronto Sun's report of the same claim, the same day (not its text).
TORONTO_SUN = (
    "A boy executed a captured Syrian army officer near Palmyra in a new Islamic State video, according to the "
    "Syrian Observatory for Human Rights, which said it had been sent a copy."
)


def intake(client, text, publisher, url):
    """The editor's two steps: propose, then save what the confirm form proposes (no site kept)."""
    analysed = client.post(reverse("admin:heritage_source_intake"), {
        "text": text, "title": "", "publisher": publisher, "url": url, "published": "2015-07-17", "kind": "news",
        "analyse": "1",
    })
    initial = analysed.context["confirm"].initial
    data = {
        **{name: initial[name] for name in ("text", "title", "publisher", "url", "published", "language", "kind",
                                            "reliability")},
        "title": initial["title"] or f"{publisher} report", "authors": initial["authors"],
        "relies_on": [source.pk for source in initial["relies_on"]],
        "claims_of": [organisation.pk for organisation in initial["claims_of"]],
        "sites-TOTAL_FORMS": "0", "sites-INITIAL_FORMS": "0", "save": "1",
    }
    saved = client.post(reverse("admin:heritage_source_intake"), data)
    assert saved.status_code == 302, saved.context["confirm"].errors
    return Source.objects.get(url=url)


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is in the shared folder")
def test_the_seed_and_the_toronto_suns_report_of_the_same_observatory_claim_are_one_story(editor):
    call_command("loaddata", "organisations", verbosity=0)

    daily_mail = intake(editor, SEED.read_text(encoding="utf-8"), "Daily Mail",
                        "https://www.dailymail.co.uk/news/article-3164999/index.html")
    toronto_sun = intake(editor, TORONTO_SUN, "Toronto Sun", "https://torontosun.com/2015/07/17/synthetic-test")

    (claim,) = daily_mail.relies_on.all()
    assert (claim.publisher, claim.status, claim.published, claim.reliability) == (
        "Syrian Observatory for Human Rights", Status.DRAFT, "2015-07-17?", "C",
    )
    assert list(toronto_sun.relies_on.all()) == [claim]
    assert daily_mail.story is not None and daily_mail.story == toronto_sun.story
    assert (daily_mail.reliability, toronto_sun.reliability) == ("D", "D")
    assert Source.objects.count() == 3
