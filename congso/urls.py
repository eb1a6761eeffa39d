"""Root URL map: the portal for citizens, the back office for staff, the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    # First: the API's paths (the public lookup above all) are matched without trying the pages'.
    path("api/v1/", include("congso.api.urls")),
    path("chi-so/", include("indicators.public_urls")),
    path("", include("portal.urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("thanh-toan/", include("payments.urls")),
    path("can-bo/thanh-toan/", include("payments.staff_urls")),
    path("can-bo/chi-dao/", include("directives.urls")),
    path("can-bo/chi-so/", include("indicators.urls")),
    path("can-bo/", include("backoffice.urls")),
    path("quan-tri/", admin.site.urls),
]

if settings.SANDBOX_GATEWAY_ENABLED:
    urlpatterns.append(path("sandbox-gateway/", include("sandbox_gateway.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
