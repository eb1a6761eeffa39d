"""Shapes of the directives API (output) and of its inputs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency
from directives.extraction import ProposedTask
from directives.models import Directive, Priority, Task, TaskDraft, TaskEvent
from directives.selectors import deadline_state


class DirectiveAgencySerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ("id", "name", "short_name", "edoc_code")


class DraftSerializer(serializers.ModelSerializer[TaskDraft]):
    lead_agencies = DirectiveAgencySerializer(many=True, read_only=True)
    candidate_agencies = DirectiveAgencySerializer(many=True, read_only=True)
    coordinating_agencies = DirectiveAgencySerializer(many=True, read_only=True)

    class Meta:
        model = TaskDraft
        fields = (
            "id",
            "order",
            "number",
            "content",
            "named_agencies",
            "lead_agencies",
            "candidate_agencies",
            "coordinating_agencies",
            "agency_note",
            "deadline_kind",
            "due_on",
            "recurrence",
            "recurrence_day",
            "working_days",
            "deadline_text",
            "priority",
            "source_paragraph",
            "state",
        )


class TaskSerializer(serializers.ModelSerializer[Task]):
    lead_agency = DirectiveAgencySerializer(read_only=True)
    coordinating_agencies = DirectiveAgencySerializer(many=True, read_only=True)
    owner_agency = DirectiveAgencySerializer(read_only=True)
    deadline_state = serializers.SerializerMethodField()
    directive: serializers.PrimaryKeyRelatedField[Directive] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Task
        fields = (
            "id",
            "directive",
            "number",
            "content",
            "lead_agency",
            "coordinating_agencies",
            "owner_agency",
            "assigner_name",
            "assigned_on",
            "deadline_kind",
            "due_on",
            "original_due_on",
            "recurrence",
            "working_days",
            "priority",
            "status",
            "progress",
            "reported_done_on",
            "completed_on",
            "finished_late",
            "deadline_state",
            "occurrence",
            "source_paragraph",
        )

    def get_deadline_state(self, task: Task) -> dict[str, Any]:
        state = deadline_state(task)
        return {"code": state.code, "label": str(state.label), "days_left": state.days_left}


class EventSerializer(serializers.ModelSerializer[TaskEvent]):
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = TaskEvent
        fields = (
            "sequence",
            "action",
            "from_status",
            "to_status",
            "actor_name",
            "at",
            "note",
            "data",
            "attachments",
        )

    def get_attachments(self, event: TaskEvent) -> list[dict[str, Any]]:
        return [
            {"id": f.pk, "name": f.name, "size": f.size, "sha256": f.sha256} for f in event.attachments.all()
        ]


class TaskDetailSerializer(TaskSerializer):
    events = EventSerializer(many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = (*TaskSerializer.Meta.fields, "events")  # type: ignore[assignment]


class DirectiveSerializer(serializers.ModelSerializer[Directive]):
    issuer = DirectiveAgencySerializer(read_only=True)
    owner_agency = DirectiveAgencySerializer(read_only=True)
    drafts = DraftSerializer(many=True, read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)

    class Meta:
        model = Directive
        fields = (
            "id",
            "kind",
            "number",
            "issued_on",
            "issuer",
            "signer_name",
            "signer_title",
            "subject",
            "owner_agency",
            "assigner_name",
            "created_at",
            "drafts",
            "tasks",
        )


class DirectiveSummarySerializer(serializers.ModelSerializer[Directive]):
    issuer = DirectiveAgencySerializer(read_only=True)
    task_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Directive
        fields = ("id", "kind", "number", "issued_on", "issuer", "subject", "assigner_name", "task_count")


class DirectiveInputSerializer(serializers.Serializer[Any]):
    owner_agency = serializers.IntegerField(label=_("cơ quan theo dõi (id)"))
    issuer = serializers.IntegerField(label=_("cơ quan ban hành (id)"))
    kind = serializers.ChoiceField(
        choices=Directive.Kind.choices, required=False, allow_blank=True, default=""
    )
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    subject = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    signer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    signer_title = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    assigner = serializers.IntegerField(required=False, allow_null=True, default=None)
    text = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    document = serializers.FileField(required=False, allow_null=True, default=None)


class ExtractInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(label=_("nội dung văn bản"), trim_whitespace=False)
    issued_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Ngày văn bản, nếu văn bản không ghi.")
    )


class ProposedTaskSerializer(serializers.Serializer[ProposedTask]):
    number = serializers.CharField()
    content = serializers.CharField()
    source_paragraph = serializers.CharField()
    named_lead = serializers.CharField()
    leads = DirectiveAgencySerializer(many=True)
    candidates = DirectiveAgencySerializer(many=True)
    coordinating = DirectiveAgencySerializer(many=True)
    agency_note = serializers.CharField()
    deadline = serializers.SerializerMethodField()
    priority = serializers.ChoiceField(choices=Priority.choices)

    def get_deadline(self, task: ProposedTask) -> dict[str, Any]:
        deadline = task.deadline
        return {
            "kind": deadline.kind,
            "due_on": deadline.due_on.isoformat() if deadline.due_on else None,
            "recurrence": deadline.recurrence,
            "recurrence_day": deadline.recurrence_day,
            "working_days": deadline.working_days,
            "text": deadline.text,
        }


class ExtractOutputSerializer(serializers.Serializer[Any]):
    shape = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    number = serializers.CharField()
    subject = serializers.CharField()
    tasks = ProposedTaskSerializer(many=True)


class ActionInputSerializer(serializers.Serializer[Any]):
    """What a step takes: ``note`` (accept, confirm, grant/refuse extension), ``reason`` (return,
    cancel, request_extension), ``percent`` and ``text`` (progress), ``text`` (report_done),
    ``requested_due_on`` (request_extension); files as multipart ``files``."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    percent = serializers.IntegerField(required=False, min_value=0, max_value=99)
    requested_due_on = serializers.DateField(required=False)
