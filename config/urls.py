from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from apikit.base import api_not_found
from heritage.urls import site_patterns

admin.site.site_header = "Heritage at Risk — editors"
admin.site.site_title = "Heritage at Risk"
admin.site.index_title = "Records"

handler400 = "config.security.bad_request"  # a body over the upload limit is a 413 page

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("config.api")),
    re_path(r"^api/", api_not_found),
    path("", include((site_patterns, "sites"))),
    path("", include("heritage.urls")),
]
