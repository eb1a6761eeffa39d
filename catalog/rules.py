"""The rules a procedure version must satisfy, in one place, in the administration's words.

Services call ``content_problems`` before writing a draft and ``publication_problems``
before publishing; the admin's forms call the single-item checks so that an administrator
sees the same message next to the field. Every function returns problems rather than
raising, so that an import can list every problem of every row at once.

Decisions worth knowing:

* The internal workflow's hour budgets must add up exactly to the time limit (a working day
  counts 8 hours): the one-stop clock compares every step against its budget (Circular
  01/2018, Mẫu 05), so a mismatch would make a dossier late on paper while on time in law.
* A full-process online procedure (toàn trình) cannot ask for a component that can only be
  handed in on paper (``paper_only``, e.g. an original licence to be withdrawn). The number
  of originals does not matter: online, the applicant uploads a scan or cites the
  electronic data store (Decree 45/2020).
* Province-level procedures name their competent agency; commune-level ones do not, since
  the commune where the dossier is filed settles it.
* A step marked ``parallel`` (another agency's liên thông task, Decree 61/2018 Art. 19.6) runs
  beside the step before it: both start together and the dossier moves on when both are done.
  Its hours are therefore not added to the total, and may not exceed those of the step it runs
  beside (else a dossier could be late with every counted step on time). It cannot be the
  first step, nor run beside a step of the one-stop desk: the desk's reception step is done
  at the instant of reception and its return step starts once the result exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import Role
from agencies.models import Agency
from catalog.content import ComponentContent, FeeContent, StepContent, VersionContent
from catalog.models import Fee, ProcedureVersion, WorkflowStep

Problems = dict[str, list[str]]


def money(amount: int) -> str:
    """1500000 → "1.500.000 đ"."""
    return f"{amount:,} đ".replace(",", ".")


def hours(value: Decimal) -> str:
    """Decimal('80.0') → "80", Decimal('0.5') → "0,5"."""
    normal = Decimal(value).normalize()
    text = f"{normal:f}"
    return text.replace(".", ",")


def _add(problems: Problems, field: str, message: str | None) -> None:
    if message:
        problems.setdefault(field, []).append(message)


def competent_agency_problem(level: str, agency: Agency | None) -> str | None:
    if level == ProcedureVersion.Level.PROVINCE and agency is None:
        return _("Thủ tục cấp tỉnh phải có cơ quan có thẩm quyền giải quyết.")
    if level == ProcedureVersion.Level.COMMUNE and agency is not None:
        return _(
            "Thủ tục cấp xã không ghi cơ quan có thẩm quyền: cơ quan giải quyết là UBND xã, phường "
            "nơi nộp hồ sơ. Hãy để trống."
        )
    return None


def agency_active_problem(agency: Agency | None, day: dt.date) -> str | None:
    if agency is None or agency.is_active_on(day):
        return None
    return _("Cơ quan “%(agency)s” không còn hoạt động vào ngày %(day)s; hãy chọn cơ quan kế thừa.") % {
        "agency": agency.name,
        "day": day.strftime("%d/%m/%Y"),
    }


def processing_time_problem(value: Decimal | None, unit: str) -> str | None:
    if value is None or Decimal(value) <= 0:
        return _("Thời hạn giải quyết phải lớn hơn 0.")
    if unit not in ProcedureVersion.TimeUnit.values:
        return _("Đơn vị thời hạn phải là ngày làm việc hoặc giờ làm việc.")
    return None


def fee_problems(fee: FeeContent) -> list[str]:
    problems: list[str] = []
    name = fee.name or _("(chưa có tên)")
    if not fee.name.strip():
        problems.append(_("Khoản phí, lệ phí phải có tên."))
    if fee.kind not in Fee.Kind.values:
        problems.append(_("Khoản “%(name)s”: loại phải là phí hoặc lệ phí.") % {"name": name})
    if fee.counter_amount < 0:
        problems.append(_("Mức thu nộp trực tiếp của “%(name)s” không được âm.") % {"name": name})
    if fee.online_amount is not None:
        if fee.online_amount < 0:
            problems.append(_("Mức thu nộp trực tuyến của “%(name)s” không được âm.") % {"name": name})
        elif fee.online_amount > fee.counter_amount >= 0:
            problems.append(
                _(
                    "Mức thu nộp trực tuyến của “%(name)s” (%(online)s) không được cao hơn mức nộp "
                    "trực tiếp (%(counter)s)."
                )
                % {"name": name, "online": money(fee.online_amount), "counter": money(fee.counter_amount)}
            )
    return problems


def components_problems(service_level: str, components: Iterable[ComponentContent]) -> list[str]:
    problems: list[str] = []
    for component in components:
        if not component.name.strip():
            problems.append(_("Thành phần hồ sơ phải có tên giấy tờ."))
        if component.originals < 0 or component.copies < 0:
            problems.append(_("Số bản của “%(name)s” không được âm.") % {"name": component.name})
        if component.originals == 0 and component.copies == 0:
            problems.append(
                _("“%(name)s”: phải nộp ít nhất một bản (chính hoặc sao).") % {"name": component.name}
            )
        if service_level == ProcedureVersion.ServiceLevel.FULL_ONLINE and component.paper_only:
            problems.append(
                _(
                    "Thủ tục trực tuyến toàn trình không được có thành phần chỉ nộp bản giấy: “%(name)s”. "
                    "Cho phép nộp bản điện tử hoặc chuyển thủ tục sang mức trực tuyến một phần."
                )
                % {"name": component.name}
            )
    return problems


def step_problems(step: StepContent) -> list[str]:
    problems: list[str] = []
    name = step.name or _("(chưa có tên)")
    if not step.name.strip():
        problems.append(_("Bước quy trình phải có tên."))
    if step.actor not in WorkflowStep.Actor.values:
        problems.append(_("Bước “%(name)s”: đơn vị thực hiện không hợp lệ.") % {"name": name})
    if step.role not in Role.values:
        problems.append(
            _("Bước “%(name)s”: vai trò “%(role)s” không có trong danh mục vai trò.")
            % {"name": name, "role": step.role}
        )
    if step.actor == WorkflowStep.Actor.OTHER_AGENCY and step.agency is None:
        problems.append(
            _("Bước “%(name)s” do cơ quan phối hợp thực hiện phải ghi tên cơ quan đó.") % {"name": name}
        )
    if Decimal(step.budget_hours) < Decimal("0.5"):
        problems.append(_("Thời gian của bước “%(name)s” phải từ 0,5 giờ làm việc trở lên.") % {"name": name})
    if step.parallel and step.actor != WorkflowStep.Actor.OTHER_AGENCY:
        problems.append(
            _(
                "Bước “%(name)s”: chỉ bước liên thông do cơ quan phối hợp thực hiện mới được thực hiện "
                "song song với bước trước."
            )
            % {"name": name}
        )
    return problems


def parallel_problems(workflow: Sequence[StepContent]) -> list[str]:
    """What is wrong with the parallel steps of ``workflow`` (its steps in order): each runs
    beside the nearest step before it that is not parallel itself."""
    problems: list[str] = []
    beside: StepContent | None = None
    for step in workflow:
        if not step.parallel:
            beside = step
            continue
        name = step.name or _("(chưa có tên)")
        if beside is None:
            problems.append(
                _(
                    "Bước đầu tiên của quy trình (“%(name)s”) không thể thực hiện song song với bước "
                    "trước: bỏ đánh dấu “Thực hiện song song với bước trước” hoặc đặt bước này sau "
                    "bước mà nó thực hiện song song."
                )
                % {"name": name}
            )
        elif beside.actor == WorkflowStep.Actor.RECEIVING_DESK:
            problems.append(
                _(
                    "Bước “%(name)s” không thể thực hiện song song với bước “%(beside)s” của Bộ phận "
                    "một cửa: bước song song phải đi cùng một bước xử lý của cơ quan giải quyết "
                    "hoặc cơ quan phối hợp."
                )
                % {"name": name, "beside": beside.name}
            )
        elif Decimal(step.budget_hours) > Decimal(beside.budget_hours):
            problems.append(
                _(
                    "Thời gian của bước song song “%(name)s” (%(hours)s giờ làm việc) không được dài hơn "
                    "thời gian của bước “%(beside)s” mà nó thực hiện song song (%(limit)s giờ làm việc)."
                )
                % {
                    "name": name,
                    "hours": hours(step.budget_hours),
                    "beside": beside.name,
                    "limit": hours(beside.budget_hours),
                }
            )
    return problems


def sequential_budgets(workflow: Iterable[StepContent]) -> list[Decimal]:
    """The hour budgets that follow one another: a parallel step's time is within the time of
    the step it runs beside, so it is not counted."""
    return [Decimal(step.budget_hours) for step in workflow if not step.parallel]


def workflow_total_problem(
    processing_time: Decimal, unit: str, budgets: Iterable[Decimal], *, required: bool = True
) -> str | None:
    budgets = list(budgets)
    if not budgets:
        return _("Quy trình nội bộ phải có ít nhất một bước.") if required else None
    limit = Decimal(processing_time) * (8 if unit == ProcedureVersion.TimeUnit.WORKING_DAYS else 1)
    total = sum((Decimal(b) for b in budgets), Decimal(0))
    if total == limit:
        return None
    unit_text = (
        _("%(n)s ngày làm việc × 8 giờ") % {"n": hours(processing_time)}
        if unit == ProcedureVersion.TimeUnit.WORKING_DAYS
        else _("%(n)s giờ làm việc") % {"n": hours(processing_time)}
    )
    return _(
        "Tổng thời gian các bước quy trình là %(total)s giờ làm việc, phải bằng thời hạn giải quyết "
        "%(limit)s giờ làm việc (%(unit)s)."
    ) % {"total": hours(total), "limit": hours(limit), "unit": unit_text}


def content_problems(content: VersionContent) -> Problems:
    """Every rule a version's content breaks, by field (empty when the content is sound)."""
    problems: Problems = {}
    if not content.name.strip():
        _add(problems, "name", _("Tên thủ tục không được để trống."))
    if not content.result.strip():
        _add(problems, "result", _("Kết quả thực hiện không được để trống."))
    if not content.competent_authority.strip():
        _add(problems, "competent_authority", _("Phải ghi cơ quan thực hiện theo quyết định công bố."))
    if content.level not in ProcedureVersion.Level.values:
        _add(problems, "level", _("Cấp thực hiện phải là cấp tỉnh hoặc cấp xã."))
    if content.service_level not in ProcedureVersion.ServiceLevel.values:
        _add(problems, "service_level", _("Mức độ dịch vụ công không hợp lệ."))
    _add(problems, "competent_agency", competent_agency_problem(content.level, content.competent_agency))
    time_problem = processing_time_problem(content.processing_time, content.processing_time_unit)
    _add(problems, "processing_time", time_problem)
    for fee in content.fees:
        for message in fee_problems(fee):
            _add(problems, "fees", message)
    for message in components_problems(content.service_level, content.components):
        _add(problems, "components", message)
    for step in content.workflow:
        for message in step_problems(step):
            _add(problems, "workflow", message)
    for message in parallel_problems(content.workflow):
        _add(problems, "workflow", message)
    if time_problem is None:
        _add(
            problems,
            "workflow",
            workflow_total_problem(
                content.processing_time,
                content.processing_time_unit,
                sequential_budgets(content.workflow),
            ),
        )
    return problems


def publication_problems(content: VersionContent, *, effective_from: dt.date) -> Problems:
    """``content_problems`` plus what depends on the day the version takes effect."""
    problems = content_problems(content)
    _add(problems, "competent_agency", agency_active_problem(content.competent_agency, effective_from))
    for step in content.workflow:
        _add(problems, "workflow", agency_active_problem(step.agency, effective_from))
    return problems


def flatten(problems: Problems) -> list[str]:
    return [message for messages in problems.values() for message in messages]
