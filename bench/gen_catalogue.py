"""The demo catalogue's checks, and synthetic distractor procedures for the search benchmark.

``validate(data)`` lists what is wrong with a catalogue file in the format of
``catalog/data/lang_son_procedures.json`` (see the catalogue contract): unique codes,
known sectors, workflow hours that add up to the time limit, field lengths.

``synthetic_catalogue(count, start=...)`` builds ``count`` made-up procedures in the same
format. Their names combine the patterns real procedure names follow ("Cấp lại giấy phép
…", "Đăng ký thay đổi …", "… (cấp tỉnh)") with the objects of other sectors, and they
include the real siblings of common procedures ("Đăng ký kết hôn có yếu tố nước ngoài",
"Đăng ký khai tử lưu động" …), so a search engine has to tell near-identical names apart
as it must on a real provincial portal. Generated in code, deterministically; codes start
with ``9.`` so they never collide with a national code.

    python bench/gen_catalogue.py check [catalog/data/lang_son_procedures.json]
    python bench/gen_catalogue.py sample 20
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "catalog" / "data" / "lang_son_procedures.json"
AGENCIES_FILE = ROOT / "agencies" / "data" / "lang_son.json"

SECTOR_CODE = re.compile(r"^[A-Z]\d{2}-[A-Z0-9]{1,16}$")
LEVELS = {"province", "commune"}
SERVICE_LEVELS = {"full_online", "partial_online", "counter_only"}
UNITS = {"working_days", "working_hours"}
ACTORS = {"receiving_desk", "competent_agency", "other_agency"}
ROLES = {"clerk", "specialist", "department_leader", "agency_leader", "province_admin"}
FEE_KINDS = {"fee", "charge"}
# Field → max length in the models (catalog/models.py).
MAX_LENGTHS = {
    "code": 64,
    "name": 500,
    "competent_authority": 255,
    "processing_time_note": 500,
    "result": 500,
    "fee_note": 500,
    "keywords": 500,
    "decision": 255,
}
REQUIRED = [
    *("code", "name", "sector", "level", "competent_agency", "competent_authority", "service_level"),
    *("processing_time", "processing_time_unit", "processing_time_note", "applicants", "steps"),
    *("submission_channels", "conditions", "legal_basis", "result", "fee_note", "keywords", "decision"),
    *("effective_from", "fees", "components", "workflow"),
]


def _hours(procedure: dict[str, Any]) -> Decimal:
    time = Decimal(str(procedure["processing_time"]))
    return time * 8 if procedure.get("processing_time_unit", "working_days") == "working_days" else time


def validate(data: dict[str, Any], *, agency_names: set[str] | None = None) -> list[str]:
    """Everything wrong with a catalogue file; an empty list when it is sound."""
    problems: list[str] = []
    sectors = data.get("sectors")
    procedures = data.get("procedures")
    if not isinstance(sectors, list) or not isinstance(procedures, list):
        return ["the file needs the lists 'sectors' and 'procedures'"]
    sector_codes: set[str] = set()
    for sector in sectors:
        code = sector.get("code", "")
        if not SECTOR_CODE.match(code):
            problems.append(f"sector {code!r}: code is not of the form H40-XXX")
        if code in sector_codes:
            problems.append(f"sector {code}: duplicated")
        sector_codes.add(code)
        if not sector.get("name"):
            problems.append(f"sector {code}: no name")
        if agency_names is not None and sector.get("managing_agency") not in agency_names:
            problems.append(f"sector {code}: unknown managing agency {sector.get('managing_agency')!r}")
    codes: set[str] = set()
    for procedure in procedures:
        code = procedure.get("code", "?")
        where = f"procedure {code}"
        missing = [key for key in REQUIRED if key not in procedure]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        if code in codes:
            problems.append(f"{where}: duplicated code")
        codes.add(code)
        for key, limit in MAX_LENGTHS.items():
            value = procedure.get(key) or ""
            if len(value) > limit:
                problems.append(f"{where}: {key} has {len(value)} characters (max {limit})")
        if procedure["sector"] not in sector_codes:
            problems.append(f"{where}: unknown sector {procedure['sector']}")
        if procedure["level"] not in LEVELS:
            problems.append(f"{where}: level {procedure['level']!r}")
        if (procedure["level"] == "commune") != (procedure["competent_agency"] is None):
            problems.append(f"{where}: competent_agency must be null exactly for commune-level procedures")
        agency = procedure["competent_agency"]
        if agency is not None and agency_names is not None and agency not in agency_names:
            problems.append(f"{where}: unknown competent agency {agency!r}")
        if procedure["service_level"] not in SERVICE_LEVELS:
            problems.append(f"{where}: service_level {procedure['service_level']!r}")
        if procedure["processing_time_unit"] not in UNITS:
            problems.append(f"{where}: processing_time_unit {procedure['processing_time_unit']!r}")
        try:
            dt.date.fromisoformat(procedure["effective_from"])
        except (TypeError, ValueError):
            problems.append(f"{where}: effective_from {procedure['effective_from']!r} is not a date")
        problems.extend(_check_parts(where, procedure))
    return problems


def _check_parts(where: str, procedure: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    workflow = procedure["workflow"]
    if not workflow:
        problems.append(f"{where}: empty workflow")
    budget = sum((Decimal(str(step["budget_hours"])) for step in workflow), Decimal(0))
    if budget != _hours(procedure):
        problems.append(f"{where}: workflow budget {budget} h ≠ time limit {_hours(procedure)} h")
    for step in workflow:
        if step.get("actor") not in ACTORS or step.get("role") not in ROLES:
            actor_role = f"{step.get('actor')}/{step.get('role')}"
            problems.append(f"{where}: workflow step {step.get('name')!r} has actor/role {actor_role}")
        if Decimal(str(step.get("budget_hours", 0))) < Decimal("0.5"):
            problems.append(f"{where}: workflow step {step.get('name')!r} under half an hour")
        if step.get("actor") == "other_agency" and not step.get("agency"):
            problems.append(f"{where}: workflow step {step.get('name')!r} names no agency")
    for fee in procedure["fees"]:
        if fee.get("kind") not in FEE_KINDS:
            problems.append(f"{where}: fee kind {fee.get('kind')!r}")
        counter, online = fee.get("counter_amount"), fee.get("online_amount")
        if not isinstance(counter, int) or counter < 0:
            problems.append(f"{where}: fee {fee.get('name')!r} counter amount {counter!r}")
        elif online is not None and (not isinstance(online, int) or not 0 <= online <= counter):
            problems.append(
                f"{where}: fee {fee.get('name')!r} online amount {online!r} above the counter amount"
            )
    if not procedure["components"] and procedure["level"] == "province":
        problems.append(f"{where}: no dossier component")
    for component in procedure["components"]:
        if not component.get("name") or component.get("originals", 0) + component.get("copies", 0) < 1:
            problems.append(f"{where}: component {component.get('name')!r} asks for no paper")
    return problems


# --- Synthetic distractors ------------------------------------------------------------------

# Real procedures next to the common ones (foreign element, mobile registration, siblings): a
# provincial catalogue holds them all, so the search must rank the plain one first.
# "sector | competent agency | level", then "- name" lines; an indented line continues the name.
SIBLINGS = """
H40-HT | Sở Tư pháp | commune
  - Đăng ký khai sinh có yếu tố nước ngoài
  - Đăng ký khai sinh lưu động
  - Đăng ký kết hôn có yếu tố nước ngoài
  - Đăng ký kết hôn lưu động
  - Đăng ký khai tử có yếu tố nước ngoài
  - Đăng ký khai tử lưu động
  - Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài
  - Đăng ký khai sinh kết hợp nhận cha, mẹ, con có yếu tố nước ngoài
  - Đăng ký lại khai sinh có yếu tố nước ngoài
  - Đăng ký lại kết hôn có yếu tố nước ngoài
  - Đăng ký lại khai tử có yếu tố nước ngoài
  - Đăng ký giám hộ có yếu tố nước ngoài
  - Đăng ký chấm dứt giám hộ có yếu tố nước ngoài
  - Đăng ký giám sát việc giám hộ
  - Đăng ký chấm dứt giám sát việc giám hộ
  - Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc có yếu tố nước ngoài
  - Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền
      của nước ngoài
  - Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ
      quan có thẩm quyền của nước ngoài
  - Ghi vào Sổ hộ tịch việc hộ tịch khác của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm
      quyền của nước ngoài
  - Đăng ký khai sinh cho trẻ em sinh ra ở nước ngoài chưa được đăng ký khai sinh về cư trú tại Việt Nam
  - Đăng ký việc nuôi con nuôi trong nước
  - Đăng ký lại việc nuôi con nuôi trong nước
  - Liên thông thủ tục hành chính về đăng ký khai sinh, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi
  - Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú
H40-CT | Sở Tư pháp | commune
  - Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật
  - Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật
  - Chứng thực di chúc
  - Chứng thực văn bản từ chối nhận di sản
  - Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở
  - Chứng thực văn bản khai nhận di sản mà di sản là động sản, quyền sử dụng đất, nhà ở
  - Sửa lỗi sai sót trong hợp đồng, giao dịch
  - Cấp bản sao từ sổ gốc
  - Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của nước ngoài cấp
      hoặc chứng nhận
H40-BTXH | Sở Y tế | commune
  - Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở
  - Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội
  - Hưởng trợ cấp hưu trí xã hội
  - Thôi hưởng trợ cấp hưu trí xã hội
  - Đổi, cấp lại Giấy xác nhận khuyết tật
  - Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập
  - Chi trả trợ cấp xã hội hằng tháng khi đối tượng thay đổi nơi cư trú
H40-HKD | Sở Tài chính | commune
  - Đăng ký thay đổi nội dung đăng ký hộ kinh doanh
  - Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh
  - Thông báo thay đổi thông tin thành viên hộ gia đình đăng ký hộ kinh doanh
H40-HDXD | Sở Xây dựng | commune
  - Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình cấp III, cấp IV và nhà ở riêng lẻ
  - Điều chỉnh giấy phép xây dựng đối với công trình cấp III, cấp IV và nhà ở riêng lẻ
  - Gia hạn giấy phép xây dựng đối với công trình cấp III, cấp IV và nhà ở riêng lẻ
  - Cấp lại giấy phép xây dựng đối với công trình cấp III, cấp IV và nhà ở riêng lẻ
  - Cấp giấy phép di dời công trình
  - Cấp giấy phép xây dựng có thời hạn đối với nhà ở riêng lẻ
H40-XBIPH | Sở Văn hóa, Thể thao và Du lịch | province
  - Cấp giấy phép xuất bản đặc san (địa phương)
  - Chuyển nhượng máy photocopy màu, máy in có chức năng photocopy màu
  - Cấp giấy phép in gia công xuất bản phẩm cho nước ngoài
  - Đăng ký hoạt động cơ sở in xuất bản phẩm
  - Thay đổi thông tin đăng ký hoạt động cơ sở in
H40-BCVT | Sở Khoa học và Công nghệ | province
  - Báo cáo tình hình hoạt động của doanh nghiệp bưu chính
  - Thông báo thay đổi nội dung văn bản xác nhận thông báo hoạt động bưu chính
"""

# Distractor groups: "sector | sector name | managing agency | level | one or both levels", then
# "+" name patterns ({o} is the object), "=" objects, "~" qualifiers appended to the name (an
# empty one keeps the bare name), each list separated by ";"; an indented line continues the
# previous one. Names are pattern(object) + qualifier, the way real names add "đối với …";
# "both" also files each name at the other level with "(cấp tỉnh)" / "(cấp xã)".
GROUPS = """
H40-TNN | Tài nguyên nước | Sở Nông nghiệp và Môi trường | province | one
  + Cấp giấy phép {o}; Gia hạn, điều chỉnh giấy phép {o}; Cấp lại giấy phép {o}; Trả lại giấy phép {o}
  = khai thác, sử dụng nước mặt; khai thác, sử dụng nước dưới đất; xả nước thải vào nguồn nước; thăm dò
      nước dưới đất; hành nghề khoan nước dưới đất quy mô vừa và nhỏ; khai thác, sử dụng nước biển
  ~ ; đối với công trình có quy mô nhỏ; cho sản xuất nông nghiệp, nuôi trồng thủy sản
H40-KS | Địa chất và khoáng sản | Sở Nông nghiệp và Môi trường | province | one
  + Cấp giấy phép {o}; Gia hạn giấy phép {o}; Trả lại giấy phép {o}; Điều chỉnh giấy phép {o}; Chuyển
      nhượng quyền {o}
  = thăm dò khoáng sản; khai thác khoáng sản làm vật liệu xây dựng thông thường; khai thác tận thu
      khoáng sản; khai thác cát, sỏi lòng sông; khai thác khoáng sản nhóm IV
  ~ ; thuộc thẩm quyền của Ủy ban nhân dân tỉnh
H40-MT | Môi trường | Sở Nông nghiệp và Môi trường | province | both
  + Cấp {o}; Cấp đổi {o}; Điều chỉnh {o}; Cấp lại {o}
  = giấy phép môi trường; giấy phép môi trường thành phần; giấy phép xử lý chất thải nguy hại
  ~ ; đối với dự án đầu tư nhóm II; đối với cơ sở đang hoạt động
H40-MT | Môi trường | Sở Nông nghiệp và Môi trường | province | one
  + Thẩm định {o}; Phê duyệt kết quả thẩm định {o}; Đăng ký {o}
  = báo cáo đánh giá tác động môi trường; phương án cải tạo, phục hồi môi trường trong khai thác khoáng
      sản; kế hoạch vận hành thử nghiệm công trình xử lý chất thải; môi trường đối với dự án đầu tư
H40-DD | Đất đai | Sở Nông nghiệp và Môi trường | commune | both
  + Đăng ký {o}; Giải quyết hồ sơ {o}; Xác nhận {o}
  = chuyển mục đích sử dụng đất; biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất;
      tách thửa, hợp thửa đất; thế chấp quyền sử dụng đất; xóa đăng ký thế chấp quyền sử dụng đất;
      chuyển nhượng quyền sử dụng đất; tặng cho quyền sử dụng đất; thừa kế quyền sử dụng đất; gia hạn sử
      dụng đất nông nghiệp; đất đai lần đầu
  ~ ; đối với hộ gia đình, cá nhân; đối với tổ chức
H40-DD | Đất đai | Sở Nông nghiệp và Môi trường | commune | one
  + Hòa giải {o}; Giải quyết {o}; Cấp đổi Giấy chứng nhận {o}; Đính chính Giấy chứng nhận {o}
  = tranh chấp đất đai; quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất đã cấp
  ~ ; (cấp xã)
H40-NN | Nông nghiệp, thú y và bảo vệ thực vật | Sở Nông nghiệp và Môi trường | province | both
  + Cấp giấy chứng nhận đủ điều kiện {o}; Cấp lại giấy chứng nhận đủ điều kiện {o}
  = buôn bán thuốc bảo vệ thực vật; buôn bán phân bón; sản xuất phân bón; buôn bán thuốc thú y; sản
      xuất, kinh doanh thức ăn chăn nuôi; kinh doanh giống cây trồng; an toàn thực phẩm đối với cơ sở
      sản xuất nông, lâm, thủy sản
  ~ ; (trường hợp hết hạn); (trường hợp bị mất, hư hỏng)
H40-NN | Nông nghiệp, thú y và bảo vệ thực vật | Sở Nông nghiệp và Môi trường | province | one
  + Cấp chứng chỉ hành nghề {o}; Kiểm dịch {o}; Công nhận {o}; Cấp giấy phép {o}
  = thú y; động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn tỉnh; cơ sở an toàn dịch bệnh động
      vật; làng nghề truyền thống; khai thác thủy sản; nghề truyền thống; cơ sở giết mổ gia súc, gia cầm
      tập trung
H40-LN | Lâm nghiệp | Sở Nông nghiệp và Môi trường | province | both
  + Phê duyệt {o}; Chấp thuận {o}; Xác nhận {o}
  = phương án trồng rừng thay thế; phương án quản lý rừng bền vững; chuyển loại rừng; khai thác gỗ rừng
      trồng; nguồn gốc lâm sản; bảng kê lâm sản
  ~ ; đối với chủ rừng là tổ chức; đối với chủ rừng là hộ gia đình, cá nhân
H40-GDDT | Giáo dục và đào tạo | Sở Giáo dục và Đào tạo | province | both
  + Thành lập {o}; Cho phép {o} hoạt động giáo dục; Sáp nhập, chia, tách {o}; Giải thể {o}; Cho phép {o}
      hoạt động giáo dục trở lại
  = trường trung học phổ thông tư thục; trường mầm non tư thục; trường tiểu học tư thục; trường trung
      học cơ sở; trung tâm ngoại ngữ, tin học; trung tâm giáo dục thường xuyên; trường phổ thông dân tộc
      nội trú; nhóm trẻ, lớp mẫu giáo độc lập; trung tâm hỗ trợ phát triển giáo dục hòa nhập; trường mầm
      non công lập
H40-GDDT | Giáo dục và đào tạo | Sở Giáo dục và Đào tạo | province | one
  + Công nhận {o} đạt chuẩn quốc gia; Công nhận {o} đạt kiểm định chất lượng giáo dục
  = trường mầm non; trường tiểu học; trường trung học cơ sở; trường trung học phổ thông; trường phổ
      thông có nhiều cấp học
H40-VBCC | Văn bằng, chứng chỉ và tuyển sinh | Sở Giáo dục và Đào tạo | province | one
  + Cấp bản sao {o} từ sổ gốc; Chỉnh sửa nội dung {o}; Công nhận {o} do cơ sở giáo dục nước ngoài cấp;
      Cấp lại {o}
  = văn bằng, chứng chỉ; bằng tốt nghiệp trung học phổ thông; bằng tốt nghiệp trung học cơ sở; chứng chỉ
      ngoại ngữ, tin học
H40-VBCC | Văn bằng, chứng chỉ và tuyển sinh | Sở Giáo dục và Đào tạo | province | one
  + Chuyển trường đối với {o}; Xét tuyển {o}; Tiếp nhận {o}
  = học sinh trung học phổ thông; học sinh trung học cơ sở; học sinh tiểu học; học sinh người nước
      ngoài; học sinh Việt Nam về nước
H40-DL | Du lịch | Sở Văn hóa, Thể thao và Du lịch | province | one
  + Cấp giấy phép {o}; Cấp đổi giấy phép {o}; Cấp lại giấy phép {o}; Thu hồi giấy phép {o}
  = kinh doanh dịch vụ lữ hành nội địa; kinh doanh dịch vụ lữ hành quốc tế
  ~ ; trong trường hợp doanh nghiệp chấm dứt hoạt động; trong trường hợp doanh nghiệp giải thể
H40-DL | Du lịch | Sở Văn hóa, Thể thao và Du lịch | province | one
  + Công nhận {o}; Cấp {o}; Cấp đổi {o}; Cấp lại {o}
  = hạng cơ sở lưu trú du lịch 1 sao, 2 sao; thẻ hướng dẫn viên du lịch nội địa; thẻ hướng dẫn viên du
      lịch tại điểm; điểm du lịch cộng đồng; cơ sở kinh doanh dịch vụ du lịch khác đạt tiêu chuẩn phục
      vụ khách du lịch
H40-VH | Văn hóa cơ sở và nghệ thuật biểu diễn | Sở Văn hóa, Thể thao và Du lịch | province | both
  + Cấp giấy phép {o}; Điều chỉnh giấy phép {o}; Thông báo {o}
  = kinh doanh dịch vụ karaoke; kinh doanh dịch vụ vũ trường; tổ chức biểu diễn nghệ thuật; tổ chức lễ
      hội; tổ chức thi người đẹp, người mẫu; kinh doanh hoạt động thể thao; tổ chức triển lãm mỹ thuật
  ~ ; đối với tổ chức; đối với cá nhân
H40-VH | Văn hóa cơ sở và nghệ thuật biểu diễn | Sở Văn hóa, Thể thao và Du lịch | province | one
  + Cấp giấy phép {o}; Thẩm định {o}; Công nhận {o}
  = làm bản sao di vật, cổ vật; dự án tu bổ, phục hồi di tích; bảo vật quốc gia; câu lạc bộ thể thao cơ
      sở; thư viện cộng đồng; bảo tàng ngoài công lập
H40-DB | Đường bộ | Sở Xây dựng | province | one
  + Cấp {o}; Cấp lại {o}; Thu hồi {o}
  = giấy phép kinh doanh vận tải bằng xe ô tô; phù hiệu xe ô tô kinh doanh vận tải; giấy phép đào tạo
      lái xe ô tô; giấy chứng nhận cải tạo xe máy chuyên dùng; giấy phép vận tải qua biên giới Việt Nam
      - Trung Quốc; giấy phép liên vận Việt Nam - Lào
  ~ ; (trường hợp bị mất, hư hỏng); (trường hợp hết hạn); do thay đổi nội dung
H40-DB | Đường bộ | Sở Xây dựng | province | one
  + Chấp thuận {o}; Cấp phép {o}; Gia hạn chấp thuận {o}
  = thi công công trình trên đường bộ đang khai thác; đấu nối đường nhánh vào đường tỉnh; xây dựng công
      trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ; lưu hành xe quá tải
      trọng, xe quá khổ giới hạn; lắp đặt biển quảng cáo trong phạm vi đường bộ
H40-DB | Đường bộ | Sở Xây dựng | province | one
  + Đổi {o}; Cấp lại {o}; Sát hạch {o}
  = giấy phép lái xe do ngành giao thông vận tải cấp; giấy phép lái xe quân sự; giấy phép lái xe nước
      ngoài
H40-DTND | Đường thủy nội địa | Sở Xây dựng | commune | both
  + Đăng ký {o}; Đăng ký lại {o}; Xóa đăng ký {o}; Cấp giấy phép hoạt động {o}; Công bố {o}
  = phương tiện thủy nội địa; bến khách ngang sông; bến thủy nội địa; phương tiện chở khách ngang sông
H40-NO | Nhà ở và thị trường bất động sản | Sở Xây dựng | province | one
  + Giải quyết {o}; Thẩm định {o}; Chấp thuận {o}; Cấp chứng chỉ {o}; Công nhận {o}
  = mua, thuê mua nhà ở xã hội; thuê nhà ở công vụ; chủ đầu tư dự án nhà ở; hành nghề môi giới bất động
      sản; chuyển nhượng dự án bất động sản; bán nhà ở cũ thuộc tài sản công; giá bán, giá thuê mua nhà
      ở xã hội
H40-HDXD | Hoạt động xây dựng | Sở Xây dựng | province | one
  + Cấp {o}; Cấp lại {o}; Điều chỉnh, bổ sung {o}; Gia hạn {o}
  = chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III; chứng chỉ năng lực hoạt động xây dựng hạng
      II, hạng III; giấy phép hoạt động xây dựng cho nhà thầu nước ngoài
  ~ ; (trường hợp bị mất, hư hỏng); (trường hợp hết hạn)
H40-HDXD | Hoạt động xây dựng | Sở Xây dựng | province | one
  + Thẩm định {o}; Thẩm định điều chỉnh {o}
  = báo cáo nghiên cứu khả thi đầu tư xây dựng; thiết kế xây dựng triển khai sau thiết kế cơ sở; nhiệm
      vụ quy hoạch chi tiết xây dựng; đồ án quy hoạch chi tiết xây dựng
  ~ ; đối với dự án sử dụng vốn đầu tư công; đối với dự án sử dụng vốn khác
H40-CTN | Công nghiệp, thương mại và năng lượng | Sở Công Thương | province | one
  + Cấp giấy phép {o}; Cấp sửa đổi, bổ sung giấy phép {o}; Cấp lại giấy phép {o}
  = sản xuất rượu công nghiệp quy mô dưới 3 triệu lít/năm; bán buôn rượu; bán buôn sản phẩm thuốc lá;
      hoạt động điện lực trong lĩnh vực phân phối điện; lập cơ sở bán lẻ của nhà đầu tư nước ngoài; kinh
      doanh hóa chất có điều kiện
  ~ ; (trường hợp hết hạn); (trường hợp bị mất, hư hỏng)
H40-CTN | Công nghiệp, thương mại và năng lượng | Sở Công Thương | province | one
  + Cấp Giấy chứng nhận đủ điều kiện {o}; Đăng ký {o}; Thông báo {o}
  = thương nhân kinh doanh mua bán khí; cửa hàng bán lẻ LPG chai; trạm nạp LPG vào chai; thực hiện
      khuyến mại; hoạt động bán hàng đa cấp tại địa phương; tổ chức hội chợ, triển lãm thương mại
H40-BLR | Lưu thông hàng hóa tại xã | Sở Công Thương | commune | both
  + Cấp giấy phép {o}; Cấp sửa đổi, bổ sung giấy phép {o}; Cấp lại giấy phép {o}
  = bán lẻ rượu; bán lẻ sản phẩm thuốc lá; sản xuất rượu thủ công nhằm mục đích kinh doanh; bán rượu
      tiêu dùng tại chỗ
H40-DUOC | Dược, mỹ phẩm và trang thiết bị y tế | Sở Y tế | province | one
  + Cấp giấy chứng nhận đủ điều kiện {o}; Điều chỉnh giấy chứng nhận đủ điều kiện {o}; Cấp lại giấy
      chứng nhận đủ điều kiện {o}
  = kinh doanh dược cho cơ sở bán lẻ thuốc; kinh doanh dược cho cơ sở bán buôn thuốc; sản xuất mỹ phẩm;
      kinh doanh thuốc phải kiểm soát đặc biệt
  ~ ; đối với nhà thuốc; đối với quầy thuốc; đối với tủ thuốc trạm y tế xã
H40-DUOC | Dược, mỹ phẩm và trang thiết bị y tế | Sở Y tế | province | one
  + Cấp {o}; Cấp lại {o}; Điều chỉnh {o}; Công bố {o}; Cấp giấy xác nhận nội dung quảng cáo {o}
  = chứng chỉ hành nghề dược; giấy phép hoạt động phòng khám đa khoa; giấy phép hoạt động phòng khám
      chuyên khoa; cơ sở đủ điều kiện thực hiện khám sức khỏe; tiêu chuẩn áp dụng trang thiết bị y tế
      loại A; mỹ phẩm; thực phẩm bảo vệ sức khỏe; giấy phép hoạt động cơ sở dịch vụ thẩm mỹ
H40-NV | Tổ chức hội và quỹ | Sở Nội vụ | province | both
  + Công nhận ban vận động thành lập {o}; Thành lập {o}; Phê duyệt điều lệ {o}; Đổi tên {o}; Chia, tách,
      sáp nhập, hợp nhất {o}; Tự giải thể {o}
  = hội; quỹ xã hội, quỹ từ thiện
  ~ ; có phạm vi hoạt động trong tỉnh
H40-TDKT | Thi đua, khen thưởng | Sở Nội vụ | province | both
  + Tặng {o}; Xét tặng {o}
  = Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh; danh hiệu Chiến sĩ thi đua cấp tỉnh; Cờ thi đua của Ủy
      ban nhân dân tỉnh; danh hiệu Tập thể lao động xuất sắc; Giấy khen của Chủ tịch Ủy ban nhân dân xã;
      danh hiệu Lao động tiên tiến; danh hiệu Gia đình văn hóa
  ~ ; theo công trạng và thành tích đạt được; về thành tích đột xuất; theo đợt hoặc chuyên đề; cho gia
      đình; về thành tích đối ngoại
H40-LD | Lao động, việc làm | Sở Nội vụ | province | one
  + Cấp {o}; Gia hạn {o}; Cấp lại {o}; Thu hồi {o}
  = giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam; giấy phép hoạt động dịch vụ
      việc làm; giấy phép hoạt động cho thuê lại lao động; giấy chứng nhận đăng ký hoạt động giáo dục
      nghề nghiệp
H40-LD | Lao động, việc làm | Sở Nội vụ | province | one
  + Giải quyết {o}; Tạm dừng {o}; Tiếp tục {o}; Chấm dứt {o}
  = hưởng trợ cấp thất nghiệp; hỗ trợ học nghề cho người lao động đang hưởng trợ cấp thất nghiệp; hưởng
      chế độ ốm đau đối với người lao động
H40-NCC | Người có công | Sở Nội vụ | commune | both
  + Giải quyết {o}; Hỗ trợ {o}; Xác nhận {o}; Công nhận {o}
  = chế độ trợ cấp hằng tháng đối với thân nhân liệt sĩ; di chuyển hồ sơ người có công với cách mạng;
      trợ cấp thờ cúng liệt sĩ; cải thiện nhà ở cho người có công với cách mạng; thương binh, người
      hưởng chính sách như thương binh; người hoạt động kháng chiến bị nhiễm chất độc hóa học; chế độ ưu
      đãi trong giáo dục đối với con của người có công
H40-TG | Dân tộc và tôn giáo | Sở Dân tộc và Tôn giáo | commune | both
  + Đăng ký {o}; Thông báo {o}; Chấp thuận {o}
  = sinh hoạt tôn giáo tập trung; tổ chức cuộc lễ ngoài cơ sở tôn giáo; người được bổ nhiệm, bầu cử, suy
      cử làm chức việc; hoạt động tín ngưỡng tại cơ sở tín ngưỡng; sửa chữa, cải tạo công trình tín
      ngưỡng; thuyên chuyển chức việc
H40-DN | Thành lập và hoạt động của doanh nghiệp | Sở Tài chính | province | one
  + Đăng ký {o}
  = thành lập doanh nghiệp tư nhân; thành lập công ty trách nhiệm hữu hạn một thành viên; thành lập công
      ty trách nhiệm hữu hạn hai thành viên trở lên; thành lập công ty cổ phần; thành lập công ty hợp
      danh; hoạt động chi nhánh, văn phòng đại diện; đổi tên doanh nghiệp; thay đổi ngành, nghề kinh
      doanh; chuyển đổi loại hình doanh nghiệp
H40-DN | Thành lập và hoạt động của doanh nghiệp | Sở Tài chính | province | one
  + Đăng ký thay đổi {o}; Thông báo thay đổi {o}
  = người đại diện theo pháp luật; vốn điều lệ; địa chỉ trụ sở chính; thành viên công ty hợp danh; chủ
      sở hữu công ty trách nhiệm hữu hạn một thành viên; thông tin cổ đông sáng lập; thông tin người
      quản lý doanh nghiệp
  ~ ; của công ty trách nhiệm hữu hạn; của công ty cổ phần
H40-TLCT | Thủy lợi và đê điều | Sở Nông nghiệp và Môi trường | province | both
  + Cấp giấy phép {o}; Gia hạn giấy phép {o}; Điều chỉnh nội dung giấy phép {o}; Cấp lại giấy phép {o}
  = xây dựng công trình trong phạm vi bảo vệ đê điều; khoan, đào trong phạm vi bảo vệ đê điều; nổ mìn
      trong phạm vi bảo vệ công trình thủy lợi; xả nước thải vào công trình thủy lợi; trồng cây lâu năm
      trong phạm vi bảo vệ công trình thủy lợi; hoạt động du lịch, thể thao trong phạm vi bảo vệ công
      trình thủy lợi
H40-YTDP | Y tế dự phòng | Sở Y tế | province | one
  + Cấp giấy chứng nhận {o}; Công bố {o}
  = cơ sở đủ điều kiện tiêm chủng; cơ sở xét nghiệm đạt tiêu chuẩn an toàn sinh học cấp I, cấp II; cơ
      sở đủ điều kiện điều trị nghiện chất dạng thuốc phiện bằng thuốc thay thế; cơ sở đủ điều kiện quan
      trắc môi trường lao động; cơ sở đủ điều kiện khám sức khỏe cho thuyền viên
  ~ ; lần đầu; khi có thay đổi
H40-TDTT | Thể dục, thể thao | Sở Văn hóa, Thể thao và Du lịch | province | one
  + Cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao {o}; Cấp lại giấy chứng nhận đủ
      điều kiện kinh doanh hoạt động thể thao {o}
  = đối với môn bơi, lặn; đối với môn bóng đá; đối với môn quần vợt; đối với môn võ cổ truyền,
      vovinam; đối với môn yoga; đối với môn thể dục thẩm mỹ; đối với môn khiêu vũ thể thao; đối với môn
      cầu lông; đối với môn bóng bàn; đối với môn billiards & snooker; đối với môn dù lượn; đối với câu
      lạc bộ thể thao chuyên nghiệp
H40-HTX | Thành lập và hoạt động của hợp tác xã | Sở Tài chính | commune | both
  + Đăng ký {o}; Thông báo {o}; Cấp lại giấy chứng nhận {o}
  = thành lập hợp tác xã; thay đổi nội dung đăng ký hợp tác xã; giải thể tự nguyện hợp tác xã; tạm ngừng
      hoạt động của hợp tác xã; thành lập chi nhánh, văn phòng đại diện của hợp tác xã; thành lập tổ hợp
      tác
H40-DT | Đầu tư | Sở Tài chính | province | one
  + Chấp thuận {o}; Điều chỉnh {o}; Cấp {o}; Giãn tiến độ {o}
  = chủ trương đầu tư dự án; giấy chứng nhận đăng ký đầu tư; dự án đầu tư thuộc thẩm quyền của Ủy ban
      nhân dân tỉnh
  ~ ; đối với nhà đầu tư trong nước; đối với nhà đầu tư nước ngoài
H40-BTTP | Bổ trợ tư pháp | Sở Tư pháp | province | one
  + Đăng ký hoạt động {o}; Thay đổi nội dung đăng ký hoạt động {o}; Thành lập {o}; Chấm dứt hoạt động
      {o}
  = văn phòng công chứng; doanh nghiệp đấu giá tài sản; văn phòng thừa phát lại; trung tâm hòa giải
      thương mại; văn phòng giám định tư pháp; tổ chức hành nghề luật sư; doanh nghiệp quản lý, thanh lý
      tài sản; trung tâm tư vấn pháp luật
H40-BTTP | Bổ trợ tư pháp | Sở Tư pháp | province | one
  + Cấp {o}; Cấp lại {o}; Thu hồi {o}
  = thẻ đấu giá viên; thẻ tư vấn viên pháp luật; thẻ thừa phát lại; thẻ giám định viên tư pháp; chứng
      chỉ hành nghề quản tài viên
H40-XA | Giảm nghèo và trợ giúp tại xã | Sở Y tế | commune | one
  + Xác nhận {o}; Công nhận {o}; Hỗ trợ {o}; Giải quyết {o}
  = hộ gia đình làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình; hộ nghèo, hộ cận nghèo
      phát sinh trong năm; hộ thoát nghèo, hộ thoát cận nghèo; hộ gia đình bị thiệt hại do thiên tai;
      người cao tuổi được chăm sóc tại cộng đồng; trẻ em có hoàn cảnh đặc biệt; chăm sóc thay thế cho
      trẻ em; nạn nhân bạo lực gia đình
"""
LEVEL_SUFFIX = {"province": " (cấp tỉnh)", "commune": " (cấp xã)"}
COMMUNE_AUTHORITY = "Ủy ban nhân dân cấp xã"
MARKERS = ("- ", "+ ", "= ", "~ ")


def _logical_lines(text: str) -> list[str]:
    """Non-empty lines with continuation lines (indented, no marker, no "|") joined to the previous."""
    lines: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if lines and "|" not in line and not line.startswith(MARKERS):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return lines


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";")]


def _candidate_names() -> list[tuple[str, str, str, str]]:
    """(name, sector, agency, level) for every distractor the tables make, siblings first."""
    names: list[tuple[str, str, str, str]] = []
    sector = agency = level = ""
    for line in _logical_lines(SIBLINGS):
        if "|" in line:
            sector, agency, level = (part.strip() for part in line.split("|"))
        else:
            names.append((line[2:].strip(), sector, agency, level))
    groups: list[tuple[list[str], dict[str, list[str]]]] = []
    for line in _logical_lines(GROUPS):
        if "|" in line:
            groups.append(([part.strip() for part in line.split("|")], {"+": [], "=": [], "~": [""]}))
        else:
            groups[-1][1][line[0]] = _split(line[2:])
    for (code, _, managing, home, levels), parts in groups:
        combos = [
            pattern.format(o=obj) + (f" {qualifier}" if qualifier else "")
            for pattern in parts["+"]
            for obj in parts["="]
            for qualifier in parts["~"]
        ]
        names.extend((name, code, managing, home) for name in combos)
        if levels == "both":
            other = "commune" if home == "province" else "province"
            names.extend((name + LEVEL_SUFFIX[other], code, managing, other) for name in combos)
    return names


def group_sectors() -> dict[str, dict[str, str]]:
    """The sectors the distractor groups are filed under, by code."""
    sectors: dict[str, dict[str, str]] = {}
    for line in _logical_lines(GROUPS):
        if "|" in line:
            code, name, managing, *_ = (part.strip() for part in line.split("|"))
            sectors.setdefault(code, {"code": code, "name": name, "managing_agency": managing})
    return sectors


def _workflow(days: int) -> list[dict[str, Any]]:
    total = days * 8
    desk = 2 if total >= 24 else 1
    boss = 4 if total >= 40 else 1
    return [
        {"name": "Tiếp nhận hồ sơ", "actor": "receiving_desk", "role": "clerk", "budget_hours": desk},
        {
            "name": "Thẩm định hồ sơ",
            "actor": "competent_agency",
            "role": "specialist",
            "budget_hours": total - 2 * desk - boss,
        },
        {"name": "Phê duyệt", "actor": "competent_agency", "role": "agency_leader", "budget_hours": boss},
        {"name": "Trả kết quả", "actor": "receiving_desk", "role": "clerk", "budget_hours": desk},
    ]


def _procedure(
    code: str, name: str, sector: str, agency: str, level: str, rng: random.Random
) -> dict[str, Any]:
    days = rng.choice([1, 3, 5, 7, 10, 15, 20, 30])
    charge = rng.choice([0, 0, 50000, 100000, 200000, 500000, 1000000])
    subject = name.split(" ", 2)[-1]
    return {
        "code": code,
        "name": name,
        "sector": sector,
        "level": level,
        "competent_agency": agency if level == "province" else None,
        "competent_authority": agency if level == "province" else COMMUNE_AUTHORITY,
        "service_level": rng.choice(["full_online", "full_online", "partial_online", "counter_only"]),
        "processing_time": days,
        "processing_time_unit": "working_days",
        "processing_time_note": "",
        "applicants": "Tổ chức, cá nhân có nhu cầu.",
        "steps": "Nộp hồ sơ; tiếp nhận; thẩm định; phê duyệt; trả kết quả.",
        "submission_channels": "Trực tiếp, qua bưu chính hoặc trực tuyến.",
        "conditions": "",
        "legal_basis": "Văn bản quy phạm pháp luật chuyên ngành (dữ liệu tổng hợp cho đo hiệu năng).",
        "result": f"Văn bản giải quyết về {subject}.",
        "fee_note": "",
        "keywords": subject,
        "decision": "Dữ liệu tổng hợp (benchmark)",
        "effective_from": "2025-07-01",
        "fees": []
        if not charge
        else [
            {
                "kind": "charge",
                "name": "Lệ phí",
                "counter_amount": charge,
                "online_amount": charge // 2,
                "exemptions": "",
                "legal_basis": "",
            }
        ],
        "components": [
            {
                "name": f"Đơn đề nghị {subject}",
                "originals": 1,
                "copies": 0,
                "is_mandatory": True,
                "template_name": "Mẫu số 01",
                "note": "",
            },
            {
                "name": "Giấy tờ chứng minh điều kiện",
                "originals": 0,
                "copies": 1,
                "is_mandatory": True,
                "template_name": "",
                "note": "",
            },
        ],
        "workflow": _workflow(days),
    }


def synthetic_catalogue(
    count: int,
    *,
    seed: int = 20250701,
    taken: set[str] | None = None,
    base_sectors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``count`` distractor procedures (fewer if the patterns run out) with the sectors they use.

    ``taken`` holds names already in the catalogue (never repeated); ``base_sectors`` are the
    demo file's sectors, copied for the siblings filed under them.
    """
    rng = random.Random(seed)
    taken_names = {name.casefold() for name in (taken or set())}
    candidates = _candidate_names()
    siblings = sum(line.startswith("- ") for line in _logical_lines(SIBLINGS))
    head, tail = candidates[:siblings], candidates[siblings:]
    rng.shuffle(tail)
    procedures: list[dict[str, Any]] = []
    seen: set[str] = set(taken_names)
    for name, sector, agency, level in head + tail:
        if len(procedures) >= count:
            break
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        code = f"9.{len(procedures) + 1:06d}"
        procedures.append(_procedure(code, name, sector, agency, level, rng))
    used = {p["sector"] for p in procedures}
    sectors: dict[str, dict[str, Any]] = {}
    for base in base_sectors or []:
        if base["code"] in used:
            sectors[base["code"]] = base
    for code, group_sector in group_sectors().items():
        if code in used and code not in sectors:
            sectors[code] = dict(group_sector)
    return {"sectors": list(sectors.values()), "procedures": procedures}


def current_agency_names(path: Path = AGENCIES_FILE) -> set[str] | None:
    """Names of the current provincial units in the agencies data file, or None without it."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return {data["province"]["name"], *(unit["name"] for unit in data.get("units", []))}


def _main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "check":
        path = Path(argv[2]) if len(argv) > 2 else DEMO_FILE
        data = json.loads(path.read_text(encoding="utf-8"))
        problems = validate(data, agency_names=current_agency_names())
        procedures = data["procedures"]
        levels = {level: sum(p["level"] == level for p in procedures) for level in sorted(LEVELS)}
        print(f"{path.name}: {len(procedures)} procedures {levels}, {len(data['sectors'])} sectors")
        for problem in problems:
            print("  -", problem)
        return 1 if problems else 0
    if command == "sample":
        size = int(argv[2]) if len(argv) > 2 else 20
        demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        catalogue = synthetic_catalogue(
            2000, taken={p["name"] for p in demo["procedures"]}, base_sectors=demo["sectors"]
        )
        print(f"{len(catalogue['procedures'])} synthetic procedures could be made; a sample:")
        for procedure in random.Random(1).sample(catalogue["procedures"], size):
            print(f"  {procedure['code']}  [{procedure['level']}] {procedure['name']}")
        problems = validate(catalogue)
        print("problems:", problems[:5] if problems else "none")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
