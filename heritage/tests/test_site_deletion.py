from django.db import transaction

from heritage.models import RiskProfile
from heritage.tests.factories import make_assessment
from sites.models import Designation, Site
from sites.tests.factories import make_designation, make_site


def test_a_site_with_assessments_and_designations_can_be_deleted(transactional_db):
    site = make_site("Temple of Bel")
    make_assessment(site, "destroyed")
    make_designation(site, kind=Designation.Kind.IN_DANGER, start="2013")
    with transaction.atomic():
        site.delete()
    assert not Site.objects.exists()
    assert not RiskProfile.objects.exists()
