"""Test data builders for agencies."""

from __future__ import annotations

import datetime as dt

from factory.declarations import BaseDeclaration, LazyAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from agencies.codes import AgencyCode, qcvn102_to_edoc
from agencies.models import Agency


def _qcvn_code(n: int) -> str:
    """A distinct, well-formed code per sequence number: 000.00.10.H40 … 000.98.98.H40."""
    level2 = n % 89 + 10
    level3 = n // 89 % 99
    return f"000.{level3:02d}.{level2:02d}.H40"


def _first_child(parent: Agency) -> AgencyCode:
    return AgencyCode(edoc=parent.edoc_code, qcvn=parent.qcvn_code).child(1)


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name: BaseDeclaration = Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = Agency.Kind.DEPARTMENT
    qcvn_code: BaseDeclaration = Sequence(_qcvn_code)
    edoc_code: BaseDeclaration = LazyAttribute(
        lambda o: qcvn102_to_edoc(o.qcvn_code) if o.qcvn_code else "H40"
    )
    valid_from = dt.date(2025, 7, 1)


class CommuneFactory(AgencyFactory):
    name = Sequence(lambda n: f"Ủy ban nhân dân xã Thử Nghiệm {n}")
    kind = Agency.Kind.COMMUNE
    division_type = "xã"


class DeskFactory(AgencyFactory):
    """The Public Administration Service Centre of a commune: a receiving point under it."""

    parent = SubFactory(CommuneFactory)
    name = LazyAttribute(
        lambda o: "Trung tâm Phục vụ hành chính công " + o.parent.name.removeprefix("Ủy ban nhân dân ")
    )
    kind = Agency.Kind.ONE_STOP_DESK
    is_receiving_point = True
    qcvn_code = LazyAttribute(lambda o: _first_child(o.parent).qcvn)
    edoc_code = LazyAttribute(lambda o: _first_child(o.parent).edoc)
