"""Forms of the signing pages: the PDFs chosen for batch signing, a PDF to check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers import conf as dossier_conf
from dossiers.services.files import size_text

MAX_BATCH = 100


class BatchSignForm(forms.Form):
    """The result files ticked on the batch signing page: one ``tep`` value (a file id) per box.

    Any id is taken, also one that has been signed since the page was shown (the report then
    says "đã ký"): access is checked file by file when signing.
    """

    def selected(self) -> list[int]:
        return list(self.cleaned_data.get("tep", []))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw = self.data.getlist("tep") if hasattr(self.data, "getlist") else []
        if any(not str(value).isdigit() for value in raw):
            raise forms.ValidationError(_("Danh sách văn bản được chọn không hợp lệ; hãy tải lại trang."))
        chosen = list(dict.fromkeys(int(value) for value in raw))
        if not chosen:
            raise forms.ValidationError(_("Chưa chọn văn bản nào để ký: hãy đánh dấu ít nhất một văn bản."))
        if len(chosen) > MAX_BATCH:
            raise forms.ValidationError(
                _("Mỗi lần ký tối đa %(n)s văn bản; hãy chọn bớt.") % {"n": MAX_BATCH}
            )
        cleaned["tep"] = chosen
        return cleaned


class SignatureCheckForm(forms.Form):
    """A PDF from anywhere (another agency's result, a citizen's signed paper) to check."""

    tep = forms.FileField(
        label=gettext_lazy("Tệp PDF cần kiểm tra chữ ký số"),
        help_text=gettext_lazy("Tệp PDF, tối đa theo dung lượng tải lên cho phép của hệ thống."),
    )

    def clean_tep(self) -> Any:
        upload = self.cleaned_data["tep"]
        limit = dossier_conf.upload_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp «%(name)s» vượt quá dung lượng tối đa %(limit)s.")
                % {"name": upload.name, "limit": size_text(limit)}
            )
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(
                _("Tệp «%(name)s» không phải tệp PDF: chỉ kiểm tra được chữ ký số trên tệp PDF.")
                % {"name": upload.name}
            )
        return upload
