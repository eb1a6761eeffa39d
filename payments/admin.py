"""Read-only admin: payments, fee lines, receipts and the gateway's raw callbacks are written by
the services (``payments.services``) and are evidence; the admin shows them, it never edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from payments.models import DossierFee, EReceipt, GatewayCallback, Payment


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("txn_ref", "dossier", "amount", "method", "status", "created_at", "paid_at")
    list_filter = ("status", "method")
    search_fields = ("txn_ref", "dossier__code", "dossier__reference", "gateway_transaction_no", "payer_name")
    date_hierarchy = "created_at"


@admin.register(DossierFee)
class DossierFeeAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "name", "base_amount", "amount", "exemption_reason")
    search_fields = ("dossier__code", "dossier__reference", "name")


@admin.register(GatewayCallback)
class GatewayCallbackAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "kind", "txn_ref", "verified", "gateway_response_code", "response_code")
    list_filter = ("kind", "verified", "response_code")
    search_fields = ("txn_ref", "raw")
    date_hierarchy = "received_at"


@admin.register(EReceipt)
class EReceiptAdmin(ReadOnlyAdmin):
    list_display = ("number", "dossier_code", "agency", "payer_name", "amount", "issued_at")
    search_fields = ("number", "dossier_code", "payer_name")
    date_hierarchy = "issued_at"
