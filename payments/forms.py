"""Forms of the payment pages (input only; the rules are in ``payments.services``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReceiptLookupForm(forms.Form):
    ma_ho_so = forms.CharField(label=_("Mã hồ sơ"), max_length=48)
    so_bien_lai = forms.CharField(label=_("Số biên lai"), max_length=64)


class CounterPaymentForm(forms.Form):
    payer_name = forms.CharField(label=_("Họ tên người nộp tiền"), max_length=150)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class ExemptionForm(forms.Form):
    reason = forms.CharField(label=_("Lý do miễn, giảm"), max_length=500)
    amount = forms.IntegerField(label=_("Số phải nộp sau miễn, giảm (đồng)"), min_value=0, initial=0)
