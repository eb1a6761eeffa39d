"""The form sets of the one-stop desk: which forms exist, their titles, number symbols,
paper and templates, as data.

The forms are those of Circular 01/2018/TT-VPCP (tthc-requirements.md §2). Circular
03/2025/TT-VPCP is said to renumber them ([3P]: 04 becomes an apology with a request for
more time, a new 05 notifies a stop, 06 and 07 follow); when its text is confirmed, it
becomes a second entry of ``FORM_SETS`` with its own templates folder, and
``CONGSO_SLIP_FORM_SET`` switches new slips to it. A slip records the set it was issued
under, so an old slip is always reprinted as it was issued.

The number symbols ("15/TNHS") are [U] except "/PXL" for the apology: a province can
replace them with the ``CONGSO_SLIP_NUMBER_SYMBOLS`` setting, e.g. ``{"01": "BN"}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.models import Slip

PaperSize = Literal["A5", "A4", "A4 landscape"]

DEFAULT_FORM_SET = "tt01-2018"
TRACKING_BOOK = "06"


@dataclass(frozen=True)
class FormSpec:
    """One form of a form set: what is printed on it and how it is numbered."""

    form: str  # the key stored on Slip.form ("01" … "05"; "06" is the tracking book)
    label: str  # the form's number in the circular's annex, "Mẫu số 01"
    title: Promise | str  # the document type printed in upper case under the header
    symbol: str  # the part after the number: "TNHS" in "15/TNHS"
    paper: PaperSize
    template: str
    signer_title: Promise | str = ""  # the signature block's heading when the caller gives none


@dataclass(frozen=True)
class FormSet:
    key: str
    name: str
    forms: dict[str, FormSpec]


def _tt01_2018() -> FormSet:
    folder = "dossiers/slips/tt01-2018"
    return FormSet(
        key="tt01-2018",
        name="Thông tư 01/2018/TT-VPCP",
        forms={
            Slip.Form.RECEIPT: FormSpec(
                form=Slip.Form.RECEIPT,
                label="Mẫu số 01",
                title=_("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
                symbol="TNHS",
                paper="A5",
                template=f"{folder}/mau01.html",
                signer_title=_("Người tiếp nhận hồ sơ"),
            ),
            Slip.Form.SUPPLEMENT: FormSpec(
                form=Slip.Form.SUPPLEMENT,
                label="Mẫu số 02",
                title=_("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
                symbol="PBS",
                paper="A5",
                template=f"{folder}/mau02.html",
                signer_title=_("Người hướng dẫn"),
            ),
            Slip.Form.REFUSAL: FormSpec(
                form=Slip.Form.REFUSAL,
                label="Mẫu số 03",
                title=_("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
                symbol="PTC",
                paper="A5",
                template=f"{folder}/mau03.html",
                signer_title=_("Người tiếp nhận hồ sơ"),
            ),
            Slip.Form.APOLOGY: FormSpec(
                form=Slip.Form.APOLOGY,
                label="Mẫu số 04",
                title=_("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
                symbol="PXL",
                paper="A5",
                template=f"{folder}/mau04.html",
                signer_title=_("Thủ trưởng cơ quan"),
            ),
            Slip.Form.CONTROL: FormSpec(
                form=Slip.Form.CONTROL,
                label="Mẫu số 05",
                title=_("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
                symbol="PKS",
                paper="A5",
                template=f"{folder}/mau05.html",
            ),
            TRACKING_BOOK: FormSpec(
                form=TRACKING_BOOK,
                label="Mẫu số 06",
                title=_("Sổ theo dõi hồ sơ"),
                symbol="",
                paper="A4 landscape",
                template=f"{folder}/mau06.html",
            ),
        },
    )


FORM_SETS: dict[str, FormSet] = {"tt01-2018": _tt01_2018()}


def current_form_set_key() -> str:
    key: str = getattr(settings, "CONGSO_SLIP_FORM_SET", DEFAULT_FORM_SET)
    if key not in FORM_SETS:
        raise ImproperlyConfigured(
            f"CONGSO_SLIP_FORM_SET={key!r} is not a known form set ({', '.join(sorted(FORM_SETS))})"
        )
    return key


def form_spec(form: str, *, form_set: str | None = None) -> FormSpec:
    """The form ``form`` of ``form_set`` (default: the set new slips are issued under)."""
    chosen = FORM_SETS[form_set or current_form_set_key()]
    try:
        return chosen.forms[form]
    except KeyError:
        raise ValueError(f"form {form!r} does not exist in the form set {chosen.key!r}") from None


def number_symbol(spec: FormSpec) -> str:
    overrides: dict[str, str] = getattr(settings, "CONGSO_SLIP_NUMBER_SYMBOLS", {})
    return overrides.get(spec.form, spec.symbol)


def format_number(value: int, symbol: str) -> str:
    """ "15/TNHS"; numbers below 10 take a leading zero (Decree 30/2020: "Số: 05/…")."""
    number = f"{value:02d}"
    return f"{number}/{symbol}" if symbol else number
