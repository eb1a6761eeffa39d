"""What the public API says about a unit."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Agency


class AgencyOutputSerializer(serializers.ModelSerializer[Agency]):
    code = serializers.CharField(read_only=True, help_text="Mã in trên phiếu và trong mã hồ sơ.")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    # "parent" is also the name of a serializer's own attribute in the stubs; at run time a
    # declared field is moved out of the class attributes, so the output key can be "parent".
    parent: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="edoc_code", read_only=True
    )
    successors: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="edoc_code", many=True, read_only=True
    )

    class Meta:
        model = Agency
        fields = (
            "code",
            "edoc_code",
            "qcvn_code",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "parent",
            "gso_code",
            "division_type",
            "is_receiving_point",
            "address",
            "phone",
            "email",
            "valid_from",
            "valid_to",
            "successors",
            "change_note",
        )
        read_only_fields = fields
