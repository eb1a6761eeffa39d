"""Template helpers of the back office: ``{% load staff %}`` then ``{% staff_nav %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from backoffice.queues import queues_for

register = template.Library()


def _roles(request: HttpRequest) -> set[str]:
    cached: set[str] | None = getattr(request, "_staff_roles", None)
    if cached is None:
        cached = set(Membership.objects.held_by(request.user).current().values_list("role", flat=True))
        request._staff_roles = cached  # type: ignore[attr-defined]
    return cached


@register.inclusion_tag("backoffice/_nav.html", takes_context=True)
def staff_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The links of the back office a person's roles open, the current one marked."""
    request: HttpRequest = context["request"]
    roles = _roles(request)
    links = [(_("Trang cán bộ"), reverse("backoffice:home"))]
    if Role.CLERK in roles:
        links.append((_("Tiếp nhận tại quầy"), reverse("backoffice:reception_new")))
    links += [
        (str(queue.title), reverse("backoffice:dossier_queue", kwargs={"queue": queue.slug}))
        for queue in queues_for(roles)
        if queue.slug != "sap-den-han"
    ]
    links.append((_("Tra cứu hồ sơ"), reverse("backoffice:dossier_search")))
    if roles & {Role.CLERK, Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER, Role.PROVINCE_ADMIN}:
        links.append((_("Sổ theo dõi"), reverse("backoffice:tracking_book")))
    if roles & {Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER}:
        links.append((_("Ký số kết quả"), reverse("backoffice:signing_batch")))
    links.append((_("Kiểm tra chữ ký số"), reverse("backoffice:signature_check")))
    links.append((_("Số hóa hồ sơ"), reverse("backoffice:digitisation_counters")))
    links.append((_("Điều hành (IOC)"), reverse("indicators:overview")))
    links.append((_("Báo cáo chỉ tiêu"), reverse("indicators:reports")))
    return {"links": links, "here": request.path}
