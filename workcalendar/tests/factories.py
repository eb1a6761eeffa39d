"""Test data builders for workcalendar.

Rows built here bypass the services (no audit, no cache bump): use them for
data a test reads, and the services for what a test changes.
"""

from __future__ import annotations

import datetime as dt

import factory

from workcalendar.models import CalendarDay, DayKind, DaySource, WorkingHours


class CalendarDayFactory(factory.django.DjangoModelFactory[CalendarDay]):
    class Meta:
        model = CalendarDay

    date = factory.declarations.Sequence(lambda n: dt.date(2030, 1, 1) + dt.timedelta(days=n))
    kind = DayKind.OTHER_DAY_OFF
    name = "Ngày nghỉ theo quyết định của tỉnh"
    source = DaySource.ADMIN


class WorkingHoursFactory(factory.django.DjangoModelFactory[WorkingHours]):
    class Meta:
        model = WorkingHours

    agency = None
    morning_start = dt.time(7, 30)
    morning_end = dt.time(11, 30)
    afternoon_start = dt.time(13, 0)
    afternoon_end = dt.time(17, 0)
    reception_cutoff = dt.time(15, 0)
