"""The administrative tree of the province, with its history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.codes import qcvn102_to_edoc, validate_edoc_code, validate_qcvn102_code


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active_on(self, day: dt.date) -> AgencyQuerySet:
        """Units that existed on ``day`` (effective-from ≤ day < effective-to)."""
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)))

    def current(self) -> AgencyQuerySet:
        return self.active_on(dt.date.today())

    def receiving_points(self) -> AgencyQuerySet:
        return self.filter(is_receiving_point=True)


class Agency(models.Model):
    """Cơ quan, đơn vị hành chính nhà nước của tỉnh: UBND tỉnh, các sở, ngành, Trung
    tâm Phục vụ hành chính công, UBND xã, phường và bộ phận một cửa của họ.

    A unit is never edited into another one: a merger, split or renaming closes
    the old row (``valid_to``) and opens a new one linked through
    ``successors``, so records made under the old unit keep pointing at it.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Ủy ban nhân dân tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
        SERVICE_CENTER = "service_center", _("Trung tâm Phục vụ hành chính công tỉnh")
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
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )
    change_note = models.CharField(
        _("căn cứ thay đổi"),
        max_length=255,
        blank=True,
        help_text=_("Nghị quyết, quyết định sắp xếp, sáp nhập, đổi tên."),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edoc_code"],
                condition=Q(valid_to__isnull=True),
                name="agency_unique_current_edoc_code",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="agency_valid_to_after_valid_from",
            ),
        ]
        indexes = [models.Index(fields=["kind", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.qcvn_code and self.edoc_code:
            try:
                expected = qcvn102_to_edoc(self.qcvn_code)
            except ValueError:
                return  # the field validator reports the malformed code
            if expected != self.edoc_code:
                raise ValidationError(
                    {
                        "edoc_code": _(
                            "Mã định danh %(edoc)s không khớp với mã QCVN 102 %(qcvn)s "
                            "(phải là %(expected)s)."
                        )
                        % {"edoc": self.edoc_code, "qcvn": self.qcvn_code, "expected": expected}
                    }
                )

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)

    @property
    def code(self) -> str:
        """The code printed on slips and in dossier codes (QCVN 102 when known)."""
        return self.qcvn_code or self.edoc_code
