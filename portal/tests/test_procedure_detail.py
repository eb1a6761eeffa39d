"""A procedure's page: everything a citizen needs to know before going to the desk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProcedureVersion
from catalog.tests.factories import FeeFactory, ProcedureFactory, ProcedureVersionFactory
from portal.tests.html_checks import assert_accessible_page

pytestmark = pytest.mark.django_db


def detail(client, code):
    return client.get(reverse("portal:procedure_detail", args=[code]))


@pytest.fixture
def postal_page(client, catalogue):
    response = detail(client, "1.004471")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_names_the_procedure_its_code_and_who_decides(postal_page):
    assert "<h1>Cấp giấy phép bưu chính</h1>" in postal_page
    assert "Mã thủ tục 1.004471" in postal_page
    assert "Bưu chính" in postal_page
    assert "Cấp tỉnh" in postal_page
    # The competent agency with its identifier code (Circular 01/2018 Art. 16.2a).
    assert "Sở Khoa học và Công nghệ" in postal_page
    assert "mã định danh 000.00.31.H40" in postal_page
    assert "Giấy phép bưu chính" in postal_page


def test_the_page_says_how_long_it_takes_and_whether_it_is_online(postal_page):
    assert "<strong>10 ngày làm việc</strong>" in postal_page
    assert '<span class="badge full">Trực tuyến toàn trình</span>' in postal_page
    assert "không phải đến cơ quan nhà nước" in postal_page
    assert "Có, toàn bộ qua mạng" in postal_page


def test_fees_are_written_in_dong_with_the_online_amount_and_exemptions(postal_page):
    assert "1.500.000 đ" in postal_page
    assert "750.000 đ" in postal_page
    assert "Giảm 50% khi nộp hồ sơ trực tuyến." in postal_page
    assert "Lệ phí cấp giấy phép" in postal_page
    assert "Miễn phí" in postal_page  # the zero charge
    assert "Nộp trực tuyến" in postal_page


def test_components_list_originals_copies_and_forms_to_download(postal_page, catalogue):
    table = postal_page[postal_page.index('id="giay-to"') : postal_page.index('id="phi"')]
    assert "Đơn đề nghị cấp giấy phép bưu chính" in table
    assert "Giấy chứng nhận đăng ký doanh nghiệp" in table
    assert '<td data-label="Bản sao" class="num inline">2</td>' in table
    assert "Nếu có" in table  # the optional component
    assert "Nếu doanh nghiệp có nhãn hiệu riêng." in table
    # A form with a file is a download link; a form without a file is named only.
    template = catalogue.postal.components.get(order=1).template
    assert f'<a href="{template.url}" download>Tải Mẫu số 01</a>' in table
    assert "Mẫu số 05" in table
    assert table.count(" download>") == 1
    # Listed in the published order.
    assert table.index("Đơn đề nghị") < table.index("Giấy chứng nhận") < table.index("Mẫu dấu")


def test_steps_conditions_legal_basis_and_version_are_shown(postal_page):
    assert "Bước 2: Sở thẩm định hồ sơ." in postal_page
    assert "Có phương án kinh doanh khả thi." in postal_page
    assert "Luật Bưu chính số 49/2010/QH12." in postal_page
    assert "Doanh nghiệp, tổ chức kinh doanh dịch vụ bưu chính." in postal_page
    assert "Phiên bản số 1, áp dụng từ ngày 01/07/2025 theo Quyết định 1234/QĐ-UBND ngày 20/6/2025." in (
        postal_page
    )


def test_every_current_receiving_point_of_the_province_is_listed(postal_page):
    where = postal_page[postal_page.index('id="noi-nop"') :]
    # The provincial centre in plain sight, with address and phone.
    centre = where[: where.index("<details")]
    assert "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn" in centre
    assert "Số 2 đường Hùng Vương" in centre
    assert 'href="tel:02053812345"' in centre
    # The commune centres folded away, with their addresses.
    communes = where[where.index("<details") : where.index("</details>")]
    assert "Xem 2 điểm tiếp nhận khác trong tỉnh" in communes
    assert "Trung tâm Phục vụ hành chính công phường Tam Thanh" in communes
    assert "Khu Ga, xã Đồng Đăng" in communes
    assert "Trung tâm Phục vụ hành chính công tỉnh" not in communes
    # A unit dissolved on 01/07/2025 no longer receives dossiers.
    assert "UBND huyện Cao Lộc" not in postal_page
    assert "dichvucong.gov.vn" in where


def test_a_free_commune_procedure_says_so(client, catalogue):
    html = detail(client, "1.001193").content.decode()

    assert "thủ tục này không thu phí, lệ phí." in html
    assert '<span class="badge partial">Trực tuyến một phần</span>' in html
    assert "<strong>1 ngày làm việc</strong>" in html
    assert "Ủy ban nhân dân cấp xã" in html
    assert "mã định danh" not in html  # no single competent agency for a commune procedure


def test_a_counter_only_procedure_has_no_online_fee_column(client, receiving_points):
    version = ProcedureVersionFactory(
        procedure=ProcedureFactory(code="2.000986.000.00.00.H40"),
        service_level=ProcedureVersion.ServiceLevel.COUNTER_ONLY,
    )
    FeeFactory(version=version, name="Lệ phí", counter_amount=50_000)

    response = detail(client, "2.000986.000.00.00.H40")  # a local code full of dots

    html = response.content.decode()
    assert response.status_code == 200
    assert "50.000 đ" in html
    assert '<th scope="col" class="num">Nộp trực tuyến</th>' not in html
    assert "Thủ tục này chưa nộp trực tuyến được" in html
    assert "dichvucong.gov.vn" not in html


def test_the_page_prints_as_a_checklist(postal_page, client):
    css = b"".join(client.get("/static/css/congso.css").streaming_content).decode()
    assert "@media print" in css
    assert 'class="breadcrumb no-print"' in postal_page
    assert 'onclick="window.print()"' in postal_page


def test_an_unknown_code_is_a_vietnamese_404(client, catalogue):
    response = detail(client, "9.999999")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang bạn cần" in html
    assert_accessible_page(html)


def test_a_retired_or_future_version_is_not_shown(client, catalogue):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    ProcedureVersionFactory(procedure=ProcedureFactory(code="1.000001"), effective_from=tomorrow)
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.000002"),
        status=ProcedureVersion.Status.RETIRED,
        effective_to=dt.date(2025, 8, 1),
    )

    assert detail(client, "1.000001").status_code == 404
    assert detail(client, "1.000002").status_code == 404


def test_detail_page_is_accessible(postal_page):
    assert_accessible_page(postal_page)


def test_detail_page_needs_few_queries(client, catalogue, django_assert_max_num_queries):
    # The version, its fees, components and workflow, and the receiving points.
    with django_assert_max_num_queries(5):
        detail(client, "1.004471")
