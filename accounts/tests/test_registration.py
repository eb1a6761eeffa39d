"""A citizen opens an account at /tai-khoan/dang-ky/ with their personal identification number."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.password_validation import MinimumLengthValidator

URL = "/tai-khoan/dang-ky/"
GOOD = {
    "full_name": "  Hoàng   Văn Thụ ",
    "national_id": "020095001122",
    "phone": "0912 345 678",
    "email": "thu@example.vn",
    "password": "Lang-Son-mua-dao-2025",
    "password_again": "Lang-Son-mua-dao-2025",
}


@pytest.mark.django_db
def test_the_page_asks_in_vietnamese(client):
    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Họ và tên", "Số định danh cá nhân", "Số điện thoại", "Thư điện tử", "Mật khẩu"):
        assert label in page


@pytest.mark.django_db
def test_a_citizen_registers_and_is_signed_in(client):
    response = client.post(URL, GOOD, follow=True)

    user = User.objects.get(national_id="020095001122")
    assert user.kind == User.Kind.CITIZEN
    assert user.username == "020095001122"
    assert user.full_name == "Hoàng Văn Thụ"
    assert user.phone == "0912345678"
    assert user.check_password(GOOD["password"])
    assert response.redirect_chain[-1][0] == "/ho-so/"  # "Hồ sơ của tôi"
    assert response.context["user"] == user
    assert "Đăng ký tài khoản thành công" in response.content.decode()


@pytest.mark.django_db
def test_the_new_citizen_signs_in_with_the_national_id(client):
    client.post(URL, GOOD)
    client.logout()

    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": GOOD["national_id"], "password": GOOD["password"]}
    )

    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("national_id", "message"),
    [
        ("02009500112", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ("02009500112A", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ("003095001122", "Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh hợp lệ."),
        ("", "Trường này là bắt buộc."),
    ],
)
def test_a_bad_national_id_is_refused_in_vietnamese_and_nothing_is_written(client, national_id, message):
    response = client.post(URL, {**GOOD, "national_id": national_id})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_national_id_that_already_has_an_account_is_refused(client, citizen):
    response = client.post(URL, {**GOOD, "national_id": citizen.national_id})

    assert response.status_code == 400
    assert "Số định danh cá nhân này đã có tài khoản. Vui lòng đăng nhập." in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"email": "khong-phai-email"}, "Địa chỉ thư điện tử không hợp lệ"),
        ({"password_again": "khac-hoan-toan-2025"}, "Hai lần nhập mật khẩu không khớp nhau."),
        ({"password": "20252025", "password_again": "20252025"}, "Mật khẩu này hoàn toàn là số."),
        ({"full_name": "   "}, "Trường này là bắt buộc."),
    ],
)
def test_other_mistakes_are_explained_in_vietnamese(client, changes, message):
    response = client.post(URL, {**GOOD, **changes})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_person_is_sent_home(client, citizen):
    client.force_login(citizen)

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/tai-khoan/"


def test_the_minimum_length_rule_speaks_vietnamese():
    validator = MinimumLengthValidator(min_length=8)

    with pytest.raises(ValidationError) as raised:
        validator.validate("ngan")

    assert raised.value.messages == ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."]
