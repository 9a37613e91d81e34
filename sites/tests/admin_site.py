"""A URLconf serving the gazetteer's admin classes alone, for sites' own admin tests.

The project's admin registers a subclass of sites.admin.SiteAdmin that shows more
than the gazetteer knows; that subclass is tested where it is defined. Tests that
use this URLconf (``pytest.mark.urls("sites.tests.admin_site")``) see exactly what
sites/admin.py builds, under the usual ``admin:`` URL names and paths.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import path

from sites import admin as gazetteer
from sites.models import Certainty, Designation, Identifier, NameKind, Site, SiteKind, SiteName

site = admin.AdminSite(name="admin")
site.register(Site, gazetteer.SiteAdmin)
site.register(SiteName, gazetteer.SiteNameAdmin)
site.register(Identifier, gazetteer.IdentifierAdmin)
site.register(Designation, gazetteer.DesignationAdmin)
site.register([SiteKind, NameKind, Certainty], gazetteer.TermAdmin)

urlpatterns = [path(settings.ADMIN_URL, site.urls)]
