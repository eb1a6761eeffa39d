"""Helpers of the back-office tests: dossiers at the real current instant (the pages act "now"),
and posting an action as a person would, with the version of the dossier they saw."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from dossiers.models import Dossier
from dossiers.tests.factories import dossier_at_step, received_dossier, submitted_dossier


def code(dossier: Dossier) -> str:
    """The code of a received dossier."""
    assert dossier.code is not None
    return dossier.code


def key_of(dossier: Dossier) -> str:
    return dossier.code or dossier.reference


def detail_url(dossier: Dossier) -> str:
    return f"/can-bo/ho-so/{key_of(dossier)}/"


def desk_url(dossier: Dossier) -> str:
    return f"/can-bo/ho-so/{key_of(dossier)}/tiep-nhan/"


def action_url(dossier: Dossier, slug: str) -> str:
    return f"/can-bo/ho-so/{key_of(dossier)}/thao-tac/{slug}/"


def post_action(client: Client, dossier: Dossier, slug: str, **data: Any) -> Any:
    """POST ``slug`` on ``dossier`` with the dossier's current version (as its page would)."""
    dossier.refresh_from_db()
    payload = {"lock_version": dossier.lock_version, **data}
    return client.post(action_url(dossier, slug), payload)


def fresh(dossier: Dossier) -> Dossier:
    dossier.refresh_from_db()
    return dossier


def submitted_now(*, applicant: User, commune: Agency, **kwargs: Any) -> Dossier:
    return submitted_dossier(applicant=applicant, commune=commune, now=timezone.now(), **kwargs)


def received_now(*, applicant: User, clerk: User, commune: Agency, **kwargs: Any) -> Dossier:
    """Received at the real instant, so that its time limit lies ahead of the pages' "now"."""
    return received_dossier(applicant=applicant, clerk=clerk, commune=commune, now=timezone.now(), **kwargs)


def at_step_now(n: int, **kwargs: Any) -> Dossier:
    """``dossier_at_step`` at the real instant (hand-overs a minute apart)."""
    return dossier_at_step(n, now=timezone.now() - dt.timedelta(minutes=5), step_minutes=1, **kwargs)
