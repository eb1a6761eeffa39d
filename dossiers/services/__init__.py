"""Writes on dossiers: typed ``dossier_<verb>`` functions with keyword-only arguments.

Every status change goes through ``dossiers.transitions.transition``; these functions decide
whether the action makes sense now (attachments, deadlines, channel) and write what goes with it
(code, clock, steps, slips). Each runs in one transaction and takes an optional ``now`` (an
aware datetime) so that tests and batch jobs can act at a given instant.
"""

from dossiers.services.inquiries import (
    dossier_consultation_answer,
    dossier_consultation_request,
    dossier_verification_record,
)
from dossiers.services.intake import (
    ApplicantData,
    dossier_counter_create,
    dossier_draft_create,
    dossier_draft_update,
    dossier_file_attach,
    dossier_submit,
)
from dossiers.services.inter_agency import dossier_inter_agency_assign
from dossiers.services.processing import (
    dossier_apologise,
    dossier_assign,
    dossier_fees_request,
    dossier_forward,
    dossier_inter_agency_finish,
    dossier_inter_agency_start,
    dossier_payment_confirm,
    dossier_payment_request,
)
from dossiers.services.reception import (
    SupplementItem,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_supplement_submit,
)
from dossiers.services.results import (
    RATING_CRITERIA,
    dossier_rate,
    dossier_resolve,
    dossier_return_result,
    dossier_withdraw,
)

__all__ = [
    "RATING_CRITERIA",
    "ApplicantData",
    "SupplementItem",
    "dossier_apologise",
    "dossier_assign",
    "dossier_consultation_answer",
    "dossier_consultation_request",
    "dossier_counter_create",
    "dossier_draft_create",
    "dossier_draft_update",
    "dossier_fees_request",
    "dossier_file_attach",
    "dossier_forward",
    "dossier_inter_agency_assign",
    "dossier_inter_agency_finish",
    "dossier_inter_agency_start",
    "dossier_payment_confirm",
    "dossier_payment_request",
    "dossier_rate",
    "dossier_receive",
    "dossier_refuse",
    "dossier_request_supplement",
    "dossier_resolve",
    "dossier_return_result",
    "dossier_submit",
    "dossier_supplement_submit",
    "dossier_verification_record",
    "dossier_withdraw",
]
