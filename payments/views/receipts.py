"""The public e-receipt lookup: the dossier code and the receipt number, both, find a receipt."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from payments.forms import ReceiptLookupForm
from payments.receipts import receipt_context, receipt_pdf
from payments.selectors import receipt_lookup
from signing.issued import kept_signature, receipt_reference


@require_GET
def receipt_search(request: HttpRequest) -> HttpResponse:
    """Tra cứu biên lai điện tử."""
    form = ReceiptLookupForm(request.GET or None)
    receipt = None
    searched = form.is_bound and form.is_valid()
    if searched:
        receipt = receipt_lookup(
            dossier_code=form.cleaned_data["ma_ho_so"], number=form.cleaned_data["so_bien_lai"]
        )
    context = {
        "form": form,
        "searched": searched,
        "receipt": receipt,
        "view": receipt_context(receipt) if receipt is not None else None,
        "signature": kept_signature(reference=receipt_reference(receipt.pk)) if receipt else None,
    }
    return render(
        request, "payments/receipt_lookup.html", context, status=404 if searched and not receipt else 200
    )


@require_GET
def receipt_download(request: HttpRequest) -> HttpResponse:
    """The receipt's PDF, for the same two keys as the lookup."""
    receipt = receipt_lookup(
        dossier_code=request.GET.get("ma_ho_so", ""), number=request.GET.get("so_bien_lai", "")
    )
    if receipt is None:
        raise Http404
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    disposition = content_disposition_header(False, f"bien-lai-{receipt.number}.pdf")
    if disposition:
        response["Content-Disposition"] = disposition
    return response
