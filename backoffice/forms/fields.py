"""Form building blocks shared by the dossier pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from workcalendar.clock import TZ

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (a scanner often gives one file per page)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            cleaned = [single(item, initial) for item in data if item]
        else:
            cleaned = [single(data, initial)] if data else []
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def local_instant(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware instant of ``day`` at ``time`` in Vietnam's time."""
    return dt.datetime.combine(day, time).replace(tzinfo=TZ)


class ServiceForm(forms.Form):
    """A form whose input goes to a dossier service, which may refuse it field by field."""

    # Errors the services report under another name than the form's field.
    service_fields: ClassVar[Mapping[str, str]] = {}

    def add_service_errors(self, field_errors: Mapping[str, Sequence[str]]) -> None:
        """Show a service's ``field_errors`` next to the fields they concern."""
        for name, messages in field_errors.items():
            field = self.service_fields.get(name, name)
            for message in messages:
                if field in self.fields and not self.has_error(field):
                    self.add_error(field, message)


def form_id(form_class: type[forms.Form]) -> str:
    """The id prefix of a form's fields, from its class: ``SupplementRequestForm`` →
    ``supplement-request``."""
    name = form_class.__name__.removesuffix("Form") or form_class.__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


class LockedForm(ServiceForm):
    """An action on one dossier: it carries the ``lock_version`` the person saw, so that of two
    people acting at once one succeeds and the other is told the dossier changed.

    The dossier page holds several such forms at once, most with a ``reason`` and all with a
    ``lock_version``: their fields' ids are prefixed with the form's name (``refuse-reason``,
    ``stop-reason``), unless the caller gives its own ``auto_id`` (one form per liên thông task),
    so that every id on the page is unique and each label points at its own field."""

    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{form_id(type(self))}-%s")
        super().__init__(*args, **kwargs)


def lines(text: str) -> list[str]:
    """The non-empty lines of a text area, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


REASON_HELP = _("Ghi rõ, đầy đủ: nội dung này được in trên phiếu gửi người nộp.")
