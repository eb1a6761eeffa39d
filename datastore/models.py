"""The citizens' and businesses' data store (Kho quản lý dữ liệu điện tử của tổ chức, cá nhân):
the documents a person or an organisation holds electronically, with their validity, and where
each was used again instead of being handed in once more (Decree 45/2020; Circular 01/2023).

* ``StoredDocument``: one document in someone's store — a result of a dossier (stored when the
  result is returned), a paper digitised at a desk, a file the owner uploaded, or a document that
  came from the national portal (DVCQG). Its file is never changed: results share the dossier's
  stored file, and its SHA-256 is kept.
* ``DocumentReuse``: a stored document used as a component of a new dossier (the new dossier's
  file, origin "reused", holds the same bytes).
* ``ExtractedText``: the searchable text of a stored document or of a scanned dossier file, read
  from the PDF's text layer or recognised (OCR, Tesseract's Vietnamese model) in the background;
  kept apart from the file, which stays as it was (a signed PDF keeps its valid signatures).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.access import RestrictedQuerySet


class DocumentSource(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
    DIGITISED = "digitised", _("Số hóa tại Bộ phận một cửa")
    UPLOADED = "uploaded", _("Chủ sở hữu tự tải lên")
    DVCQG = "dvcqg", _("Từ Cổng Dịch vụ công quốc gia")


class StoredDocumentQuerySet(RestrictedQuerySet["StoredDocument"]):
    """Who sees which stored documents: the rule lives in ``datastore.permissions.stored_document_rule``."""

    actions = frozenset({"view"})

    def _restrict_rule(self, user, action):  # type: ignore[no-untyped-def]
        from datastore.permissions import stored_document_rule

        return stored_document_rule(user, action)


def _document_path(instance: StoredDocument, filename: str) -> str:
    return f"kho/{uuid.uuid4().hex}/{filename}"


class StoredDocument(models.Model):
    """Giấy tờ, kết quả giải quyết thủ tục hành chính trong kho dữ liệu điện tử của một công
    dân hoặc tổ chức: loại, số, cơ quan cấp, ngày cấp, thời hạn sử dụng, tệp điện tử và nguồn
    gốc. Giấy tờ còn hạn được dùng lại khi chủ sở hữu làm thủ tục khác, không phải nộp lại.

    The owner is a person (the citizen's account and/or personal identification number) or an
    organisation (its tax code, with the person who acts for it). ``valid_until`` empty: no expiry.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản chủ sở hữu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stored_documents",
    )
    owner_national_id = models.CharField(_("số định danh cá nhân của chủ sở hữu"), max_length=12, blank=True)
    owner_tax_code = models.CharField(
        _("mã số thuế của tổ chức sở hữu"),
        max_length=14,
        blank=True,
        help_text=_("Để trống với giấy tờ của cá nhân."),
    )
    owner_name = models.CharField(_("tên chủ sở hữu"), max_length=255)

    document_type = models.ForeignKey(
        "catalog.DocumentType",
        verbose_name=_("loại giấy tờ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stored_documents",
    )
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issuing_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan cấp (trong tỉnh)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuing_agency_name = models.CharField(_("cơ quan cấp"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(
        _("có giá trị đến ngày"), null=True, blank=True, help_text=_("Để trống nếu không có thời hạn.")
    )

    file = models.FileField(_("tệp"), upload_to=_document_path, max_length=255)
    file_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)

    source = models.CharField(_("nguồn"), max_length=16, choices=DocumentSource.choices)
    source_dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ phát sinh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stored_documents",
    )
    source_file = models.OneToOneField(
        "dossiers.DossierFile",
        verbose_name=_("tệp hồ sơ gốc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stored_document",
        help_text=_("Tệp kết quả hoặc bản quét của hồ sơ mà giấy tờ này được lưu từ đó (dùng chung tệp)."),
    )
    created_at = models.DateTimeField(_("lưu vào kho lúc"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = StoredDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("giấy tờ trong kho dữ liệu")
        ordering = ["-issued_on", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "document_type"]),
            models.Index(fields=["owner_national_id", "document_type"]),
            models.Index(fields=["owner_tax_code", "document_type"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_national_id="") | ~Q(owner_tax_code=""),
                name="stored_document_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(valid_until__gte=models.F("issued_on")),
                name="stored_document_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()


class DocumentReuse(models.Model):
    """Một lần tái sử dụng: giấy tờ trong kho được dùng làm thành phần của một hồ sơ mới thay cho
    việc nộp lại; ai chọn, lúc nào, tệp nào của hồ sơ mới mang nội dung của giấy tờ đó."""

    document = models.ForeignKey(
        StoredDocument, verbose_name=_("giấy tờ trong kho"), on_delete=models.PROTECT, related_name="reuses"
    )
    dossier_file = models.OneToOneField(
        "dossiers.DossierFile",
        verbose_name=_("tệp của hồ sơ"),
        on_delete=models.PROTECT,
        related_name="reuse",
    )
    reused_at = models.DateTimeField(_("tái sử dụng lúc"))
    reused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chọn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lần tái sử dụng giấy tờ")
        verbose_name_plural = _("lần tái sử dụng giấy tờ")
        ordering = ["-reused_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document} → {self.dossier_file}"


class TextState(models.TextChoices):
    PENDING = "pending", _("Đang chờ trích xuất")
    DONE = "done", _("Đã trích xuất")
    FAILED = "failed", _("Không trích xuất được")
    SKIPPED = "skipped", _("Không áp dụng cho loại tệp này")


class TextSource(models.TextChoices):
    NONE = "none", _("Chưa có nội dung văn bản")
    TEXT_LAYER = "text_layer", _("Lớp chữ của tệp PDF")
    OCR = "ocr", _("Nhận dạng ký tự quang học (OCR)")


class ExtractedText(models.Model):
    """Nội dung chữ của một giấy tờ trong kho hoặc một bản quét của hồ sơ, để cán bộ tra cứu:
    lấy từ lớp chữ của tệp PDF, hoặc nhận dạng ký tự (OCR) với tệp ảnh, bản quét. Lưu riêng,
    tệp gốc không bị thay đổi.

    Exactly one of ``stored_document`` and ``dossier_file`` is set. ``sha256`` is the hash of
    the bytes that were read, equal to the file's own: the text is of that file, unchanged.
    """

    stored_document = models.OneToOneField(
        StoredDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="extracted_text"
    )
    dossier_file = models.OneToOneField(
        "dossiers.DossierFile", null=True, blank=True, on_delete=models.CASCADE, related_name="extracted_text"
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=TextState.choices, default=TextState.PENDING
    )
    source = models.CharField(
        _("nguồn nội dung"), max_length=16, choices=TextSource.choices, default=TextSource.NONE
    )
    text = models.TextField(_("nội dung"), blank=True)
    search_text = models.TextField(
        _("nội dung tìm kiếm"),
        blank=True,
        editable=False,
        help_text=_("Viết thường, không dấu; do hệ thống tạo."),
    )
    pages = models.PositiveIntegerField(_("số trang đã đọc"), default=0)
    error = models.CharField(_("lý do không trích xuất được"), max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    extracted_at = models.DateTimeField(_("trích xuất lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung chữ trích xuất")
        verbose_name_plural = _("nội dung chữ trích xuất")
        constraints = [
            models.CheckConstraint(
                condition=Q(stored_document__isnull=False, dossier_file__isnull=True)
                | Q(stored_document__isnull=True, dossier_file__isnull=False),
                name="extracted_text_of_one_file",
            )
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.text[:60]}"
