"""Writes of directives and tasks (STYLE.md: typed ``<entity>_<verb>`` functions, keyword-only).

* ``drafting``: record a directive, propose its tasks, review, assign;
* ``lifecycle``: a task's life after it is assigned (through ``directives.transitions``);
* ``reminders``: due-soon and overdue reminders, escalation, recurring tasks.
"""

from directives.services.drafting import (
    DirectiveInput,
    DraftReview,
    directive_assign,
    directive_create,
    directive_review,
)
from directives.services.lifecycle import (
    task_accept,
    task_act,
    task_cancel,
    task_confirm,
    task_extension_decide,
    task_extension_request,
    task_next_occurrence,
    task_report_done,
    task_report_progress,
    task_return,
)
from directives.services.reminders import ReminderRun, recurring_generate, reminders_send

__all__ = [
    "DirectiveInput",
    "DraftReview",
    "ReminderRun",
    "directive_assign",
    "directive_create",
    "directive_review",
    "recurring_generate",
    "reminders_send",
    "task_accept",
    "task_act",
    "task_cancel",
    "task_confirm",
    "task_extension_decide",
    "task_extension_request",
    "task_next_occurrence",
    "task_report_done",
    "task_report_progress",
    "task_return",
]
