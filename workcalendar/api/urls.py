"""API v1 endpoints of workcalendar."""

from django.urls import URLPattern, URLResolver, path

from workcalendar.api.views import WorkingDaysView

urlpatterns: list[URLPattern | URLResolver] = [
    path("calendar/working-days/", WorkingDaysView.as_view(), name="calendar-working-days"),
]
