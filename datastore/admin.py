"""Django admin of the data store: what is stored and reused, shown to the province administrator.

Documents are stored by the services (a returned result, a desk scan, the national portal), never
typed in here, and a stored file is never changed: the admin shows, it does not edit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from datastore.models import DocumentReuse, ExtractedText, StoredDocument


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StoredDocument)
class StoredDocumentAdmin(_ReadOnly):
    list_display = ("title", "number", "owner_name", "document_type", "issued_on", "valid_until", "source")
    list_filter = ("source", "document_type")
    search_fields = ("title", "number", "owner_name", "owner_national_id", "owner_tax_code")
    date_hierarchy = "created_at"
    list_select_related = ("document_type",)


@admin.register(DocumentReuse)
class DocumentReuseAdmin(_ReadOnly):
    list_display = ("document", "dossier_file", "reused_at", "reused_by")
    list_select_related = ("document", "dossier_file", "reused_by")
    date_hierarchy = "reused_at"


@admin.register(ExtractedText)
class ExtractedTextAdmin(_ReadOnly):
    list_display = ("__str__", "state", "source", "pages", "extracted_at")
    list_filter = ("state", "source")
    search_fields = ("search_text",)
