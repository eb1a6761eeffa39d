"""Test data builders for agencies."""

from __future__ import annotations

import datetime as dt

import factory

from agencies.models import Agency


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = Agency.Kind.DEPARTMENT
    qcvn_code = factory.Sequence(lambda n: f"000.00.{(n % 89) + 10:02d}.H40")
    edoc_code = factory.LazyAttribute(lambda o: f"H40.{o.qcvn_code.split('.')[2]}")
    valid_from = dt.date(2025, 7, 1)
