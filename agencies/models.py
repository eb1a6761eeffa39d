"""The administrative tree of the province, with its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from agencies.codes import validate_code_pair, validate_edoc_code, validate_qcvn102_code


def fold_for_search(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: "Xã Đồng Đăng" → "xa dong dang"."""
    return " ".join(unidecode(text).lower().split())


class AgencyHasHistory(models.ProtectedError):
    """Raised when someone tries to delete a unit that belongs to the recorded history."""


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active_on(self, day: dt.date) -> AgencyQuerySet:
        """Units that existed on ``day`` (effective-from ≤ day < effective-to)."""
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)))

    def current(self) -> AgencyQuerySet:
        """Units that exist today, in the province's time zone."""
        return self.active_on(timezone.localdate())

    def receiving_points(self) -> AgencyQuerySet:
        return self.filter(is_receiving_point=True)

    def with_history(self) -> AgencyQuerySet:
        """Units that are closed or linked to a predecessor or successor."""
        return self.filter(
            Q(valid_to__isnull=False) | Q(successors__isnull=False) | Q(predecessors__isnull=False)
        ).distinct()

    def delete(self) -> tuple[int, dict[str, int]]:
        # Bulk deletion (the admin's action among others) must not slip past the
        # rule that Agency.delete() enforces for a single row.
        protected = list(self.with_history())
        if protected:
            raise AgencyHasHistory(_history_message(protected), set(protected))
        return super().delete()


def _history_message(agencies: list[Agency]) -> str:
    names = ", ".join(str(agency) for agency in agencies[:5])
    return str(
        _(
            "Không thể xóa %(names)s: đơn vị đã có lịch sử (đã giải thể, đổi tên, sáp nhập "
            "hoặc có đơn vị kế thừa). Hãy đóng đơn vị thay vì xóa."
        )
        % {"names": names}
    )


class Agency(models.Model):
    """Cơ quan, đơn vị hành chính nhà nước của tỉnh: UBND tỉnh, các sở, ngành, Trung
    tâm Phục vụ hành chính công, UBND xã, phường, đặc khu và bộ phận một cửa của họ;
    cùng các đơn vị đã giải thể hoặc đổi tên (như UBND huyện trước ngày 01/7/2025).

    A unit is never edited into another one: a merger, split or renaming closes
    the old row (``valid_to``) and opens a new one linked through
    ``successors``, so records made under the old unit keep pointing at it.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Ủy ban nhân dân tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
        SERVICE_CENTER = "service_center", _("Trung tâm Phục vụ hành chính công tỉnh")
        DISTRICT = "district", _("Ủy ban nhân dân huyện, thành phố thuộc tỉnh (đến 30/6/2025)")
        COMMUNE = "commune", _("Ủy ban nhân dân xã, phường, đặc khu")
        ONE_STOP_DESK = "one_stop_desk", _("Bộ phận một cửa, điểm tiếp nhận")
        DIVISION = "division", _("Phòng, đơn vị trực thuộc")
        OTHER = "other", _("Cơ quan, đơn vị khác")

    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    qcvn_code = models.CharField(
        _("mã QCVN 102"),
        max_length=13,
        blank=True,
        validators=[validate_qcvn102_code],
        help_text=_("Dạng 000.00.31.H40 (QCVN 102:2016/BTTTT)."),
    )
    edoc_code = models.CharField(
        _("mã định danh điện tử"),
        max_length=35,
        validators=[validate_edoc_code],
        help_text=_("Dạng H40.31 (Quyết định 20/2020/QĐ-TTg)."),
    )
    gso_code = models.PositiveIntegerField(
        _("mã đơn vị hành chính (TCTK)"),
        null=True,
        blank=True,
        help_text=_("Mã tỉnh hoặc xã, phường theo danh mục của Tổng cục Thống kê."),
    )
    division_type = models.CharField(_("loại đơn vị hành chính"), max_length=32, blank=True)
    is_receiving_point = models.BooleanField(
        _("là điểm tiếp nhận hồ sơ"),
        default=False,
        help_text=_("Bộ phận một cửa hoặc Trung tâm Phục vụ hành chính công tiếp nhận hồ sơ."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    valid_from = models.DateField(_("có hiệu lực từ"), default=dt.date(2025, 7, 1))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    successors: models.ManyToManyField[Agency, AgencySuccession] = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        through="AgencySuccession",
        through_fields=("from_agency", "to_agency"),
    )
    change_note = models.CharField(
        _("căn cứ thay đổi"),
        max_length=255,
        blank=True,
        help_text=_("Nghị quyết, quyết định sắp xếp, sáp nhập, đổi tên."),
    )
    source_key = models.CharField(
        _("khóa dữ liệu nguồn"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Khóa của đơn vị trong tệp dữ liệu tỉnh hoặc danh mục TCTK, dùng khi nạp lại."),
    )
    search_text = models.CharField(
        _("tên không dấu"),
        max_length=330,
        blank=True,
        editable=False,
        help_text=_("Tên và tên viết tắt viết thường, không dấu, để tìm kiếm."),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ("kind", "name")
        constraints = (
            models.UniqueConstraint(
                fields=["edoc_code"],
                condition=Q(valid_to__isnull=True),
                name="agency_unique_current_edoc_code",
                violation_error_message=_("Mã định danh này đang được một cơ quan khác sử dụng."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="agency_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="agency_unique_source_key",
                violation_error_message=_("Khóa dữ liệu nguồn đã được dùng cho một đơn vị khác."),
            ),
        )
        indexes = (models.Index(fields=["kind", "valid_to"]),)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column, not a rule: it lets "dong dang" find "Đồng Đăng" with a
        # plain LIKE on SQLite and PostgreSQL alike, whoever writes the row.
        self.search_text = fold_for_search(f"{self.name} {self.short_name}")[:330]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "short_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        # Dossiers, documents and memberships made under a unit keep pointing at
        # its row; a unit with history is closed (valid_to), never deleted.
        if self.pk is not None and self.has_history():
            raise AgencyHasHistory(_history_message([self]), {self})
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        validate_code_pair(qcvn_code=self.qcvn_code, edoc_code=self.edoc_code)
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Một cơ quan không thể là cấp trên của chính nó.")})

    def has_history(self) -> bool:
        return (
            self.valid_to is not None
            or self.successors.exists()
            or AgencySuccession.objects.filter(to_agency=self).exists()
        )

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)

    @property
    def code(self) -> str:
        """The code printed on slips and in dossier codes (QCVN 102 when known)."""
        return self.qcvn_code or self.edoc_code


class AgencySuccession(models.Model):
    """Quan hệ kế thừa: đơn vị cũ (đã giải thể, sáp nhập, đổi tên) và đơn vị tiếp nhận
    chức năng, nhiệm vụ của nó.

    Both ends are protected: a unit that is part of a succession cannot be
    deleted, so the history it carries survives. The table is the one Django
    created for the original plain many-to-many field.
    """

    from_agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị kế thừa"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "agencies_agency_successors"
        verbose_name = _("quan hệ kế thừa")
        verbose_name_plural = _("quan hệ kế thừa")
        unique_together = (("from_agency", "to_agency"),)

    def __str__(self) -> str:
        return f"{self.from_agency} → {self.to_agency}"
