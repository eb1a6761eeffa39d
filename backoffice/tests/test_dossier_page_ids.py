"""Every id on a dossier page is unique and every label points at a field of the page, however many
action forms (most with a ``reason``, all with a ``lock_version``) the page holds at once."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from backoffice.forms.actions import RefuseForm, StopForm
from backoffice.tests.builders import at_step_now, desk_url, detail_url, submitted_now
from dossiers.services import dossier_inter_agency_start

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    """The ids of a page's elements and the targets of its labels."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_targets: list[str] = []
        self.forms = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag == "label" and values.get("for"):
            self.label_targets.append(str(values["for"]))
        if tag == "form":
            self.forms += 1


def parsed(client, user, url) -> Ids:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    found = Ids()
    found.feed(response.content.decode())
    return found


def duplicates(found: Ids) -> list[str]:
    return sorted(name for name, count in Counter(found.ids).items() if count > 1)


def test_the_check_finds_duplicates():
    """Django's default ids (``id_reason``) repeat when two forms share a field."""
    found = Ids()
    found.feed(str(RefuseForm(auto_id="id_%s")) + str(StopForm(auto_id="id_%s")))
    assert duplicates(found) == ["id_lock_version", "id_reason", "id_reason_helptext"]


def test_forms_of_the_same_field_get_different_ids():
    assert RefuseForm()["reason"].auto_id == "refuse-reason"
    assert StopForm()["reason"].auto_id == "stop-reason"


def test_a_leaders_dossier_page_with_many_actions_has_unique_ids(
    client, citizen, clerk, specialist, leader, agency, other_agency, clerk_other_agency
):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    dossier_inter_agency_start(
        dossier=dossier,
        actor=specialist,
        agency=other_agency,
        task="Xác nhận nơi cư trú",
        budget_hours=8,
        role=Role.CLERK,
    )
    # The leader of the commune also holds the appraisal role: every action of both is offered.
    MembershipFactory(user=leader, agency=agency, role=Role.SPECIALIST)
    head_there = StaffFactory(username="truong.dd", full_name="Nông Văn Trưởng")
    MembershipFactory(user=head_there, agency=other_agency, role=Role.AGENCY_LEADER)

    for user in (leader, specialist, clerk_other_agency, head_there):
        found = parsed(client, user, detail_url(dossier))
        assert found.forms >= 2, user
        assert duplicates(found) == [], user
        assert sorted(set(found.label_targets) - set(found.ids)) == [], user

    leaders = parsed(client, leader, detail_url(dossier))
    assert {"stop-reason", "apology-reason", "supplement-request-reason"} <= set(leaders.ids)


def test_the_desk_page_has_unique_ids(client, citizen, clerk, agency):
    dossier = submitted_now(applicant=citizen, commune=agency)

    found = parsed(client, clerk, desk_url(dossier))

    assert found.forms >= 3
    assert duplicates(found) == []
    assert sorted(set(found.label_targets) - set(found.ids)) == []
