"""Test data builders for accounts."""

from __future__ import annotations

import factory

from accounts.models import Membership, Role, User

PASSWORD = "mat-khau-thu-nghiem-2025"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    kind = User.Kind.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


class CitizenFactory(UserFactory):
    kind = User.Kind.CITIZEN
    national_id = factory.Sequence(lambda n: f"020{n:09d}")


class StaffFactory(UserFactory):
    kind = User.Kind.STAFF


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(StaffFactory)
    agency = factory.SubFactory("agencies.tests.factories.AgencyFactory")
    role = Role.CLERK
