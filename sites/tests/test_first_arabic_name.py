"""Site.first_arabic_name after the curated load: loaddata saves raw, around SiteName.save(), so load_curated
stores each site's first Arabic name itself (SiteQuerySet.refresh_arabic_names())."""

import pytest
from django.core.management import call_command

from sites.models import Site, SiteName


@pytest.fixture
def curated(db):
    call_command("load_curated", verbosity=0)


def first_arabic_name(site):
    return SiteName.objects.first_in("ar").filter(site=site).values_list("name", flat=True).first() or ""


def test_the_curated_load_stores_what_first_in_gives_for_every_site(curated):
    sites = Site.objects.all()

    assert {site.slug: site.first_arabic_name for site in sites} == {site.slug: first_arabic_name(site) for site in sites}
    assert Site.objects.get(slug="palmyra").first_arabic_name == "تدمر"
    assert Site.objects.get(slug="damascus").first_arabic_name == "دمشق القديمة"  # the preferred before the variant


def test_refreshing_every_site_gives_back_what_first_in_gives(curated):
    Site.objects.update(first_arabic_name="")

    assert Site.objects.refresh_arabic_names() == Site.objects.count()
    assert Site.objects.get(slug="temple-of-baalshamin").first_arabic_name == "معبد بعل شمين"
    named = SiteName.objects.filter(language="ar").values("site").distinct().count()
    assert Site.objects.exclude(first_arabic_name="").count() == named


def test_the_demo_generator_stores_each_sites_first_arabic_name(db):
    # It writes with COPY on PostgreSQL, around save() and bulk_create(): it stores the names itself.
    call_command("generate_demo_data", sites=20, sources=5, events=5, incidents=5, assessments=5,
                 stdout=open("/dev/null", "w"))  # noqa: SIM115
    sites = Site.objects.all()

    assert all(site.first_arabic_name for site in sites)
    assert {site.slug: site.first_arabic_name for site in sites} == {site.slug: first_arabic_name(site) for site in sites}
