"""Test data builders for accounts."""

from __future__ import annotations

from factory.declarations import LazyAttribute, PostGenerationMethodCall, Sequence, SubFactory
from factory.django import DjangoModelFactory
from factory.helpers import post_generation

from accounts.models import Membership, Role, User

PASSWORD = "mat-khau-thu-nghiem-2025"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"nguoidung{n}")
    full_name = Sequence(lambda n: f"Nguyễn Văn {n}")
    email = LazyAttribute(lambda o: f"{o.username}@example.vn")
    kind = User.Kind.CITIZEN
    password = PostGenerationMethodCall("set_password", PASSWORD)

    @post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class CitizenFactory(UserFactory):
    kind = User.Kind.CITIZEN
    national_id = Sequence(lambda n: f"020{n:09d}")


class StaffFactory(UserFactory):
    kind = User.Kind.STAFF


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = SubFactory(StaffFactory)
    agency = SubFactory("agencies.tests.factories.AgencyFactory")
    role = Role.CLERK
