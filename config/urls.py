from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from apikit.base import api_not_found
from heritage.urls import site_patterns

admin.site.site_header = _("Heritage at Risk — editors")
admin.site.site_title = _("Heritage at Risk")
admin.site.index_title = _("Records")
# The app list beside every page took 300 of a 1366 px laptop's pixels from the change lists (their status
# went out of view); the index and the breadcrumbs lead to every list.
admin.site.enable_nav_sidebar = False

handler400 = "config.security.bad_request"  # a body over the upload limit is a 413 page

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # The admin's language switch (templates/admin/base_site.html) sets the language cookie; researcher pages
    # take their language from the address alone.
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api")),
    re_path(r"^api/", api_not_found),
]
# Researcher pages in English at their plain addresses and in Arabic under /ar/ (config/locale.py).
urlpatterns += i18n_patterns(
    path("", include((site_patterns, "sites"))),
    path("", include("heritage.urls")),
    prefix_default_language=False,
)
