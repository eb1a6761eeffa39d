"""The sandbox bank's payment page, at the gateway's path ``/paymentv2/vpcpay.html``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from sandbox_gateway.conf import sandbox_enabled
from sandbox_gateway.services import SandboxError, checkout_decide, checkout_read


@require_http_methods(["GET", "POST"])
def vpcpay(request: HttpRequest) -> HttpResponse:
    """GET: the signed request, shown with its amount and the two buttons. POST: the decision."""
    if not sandbox_enabled():
        raise Http404
    if request.method == "POST":
        query = request.POST.get("q", "")
        try:
            target = checkout_decide(query=query, pay=request.POST.get("decision") == "pay")
        except SandboxError as exc:
            return render(request, "sandbox_gateway/error.html", {"message": exc.message}, status=400)
        return HttpResponseRedirect(target)
    try:
        checkout = checkout_read(request.META.get("QUERY_STRING", ""))
    except SandboxError as exc:
        return render(request, "sandbox_gateway/error.html", {"message": exc.message}, status=400)
    return render(request, "sandbox_gateway/pay.html", {"checkout": checkout})
