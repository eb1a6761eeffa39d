"""Every URL of congso, requested as every persona, answers what the access table says.

``ACCESS_MAP`` below lists every URL pattern of the project (by name, ``namespace:name``; an
unnamed pattern by its route) with the status each persona gets; ``ACCESS_GLOBS`` covers
families that answer alike (``admin:*_changelist``). The first test fails for any URL that no row covers, so a
new page or endpoint cannot ship without someone deciding who may open it.

Adding a row
------------
::

    "catalog:procedure_detail": Row(
        public(200),
        kwargs=lambda world: {"code": ProcedureFactory().code},
    ),
    "dossiers:detail": Row(
        expect(anonymous=LOGIN, citizen=200, other_citizen=404, staff=404, clerk=200, admin=200),
        kwargs=lambda world: {"code": DossierFactory(applicant=world.persona("citizen")).code},
    ),

* ``expect(...)`` names what each persona gets: ``citizen`` sets both citizens, ``staff`` the
  clerks and the leader, ``admin`` and ``api_client`` default to the ``staff`` and
  ``anonymous`` values; name a single persona (``other_citizen=404``) to override.
* a status is an HTTP code, or ``LOGIN`` (302 to the sign-in page), or ``ADMIN_LOGIN``
  (302 to the Django admin's sign-in page);
* ``kwargs`` builds the URL's arguments once per test, before any persona asks; ``world``
  gives the personas (``world.persona("clerk")``);
* ``method`` is ``"get"`` unless said; ``skip`` says why a URL is not requested here and
  where it is tested instead.

People sign in with the session; ``api_client`` sends its ``X-Api-Key`` (scopes
``procedures:read agencies:read calendar:read``) and no session.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backoffice.tests import access as backoffice_access
from backoffice.tests import access_panels as backoffice_panels_access
from catalog.tests.factories import ProcedureVersionFactory
from datastore.tests import access as datastore_access
from directives.tests import access as directives_access
from dossiers.tests import api_access as dossiers_api_access
from indicators.tests import access as indicators_access
from indicators.tests import api_access as indicators_api_access
from indicators.tests import reports_access as indicator_reports_access
from payments.tests import access as payments_access
from portal.tests import access as portal_access
from signing.tests import access as signing_access

PERSONAS = (
    "anonymous",
    "citizen",
    "other_citizen",
    "clerk",
    "clerk_other_agency",
    "leader",
    "admin",
    "api_client",
)
LOGIN = "302 to the sign-in page"
ADMIN_LOGIN = "302 to the admin sign-in page"

Expected = int | str


def expect(
    *,
    anonymous: Expected,
    citizen: Expected,
    staff: Expected,
    admin: Expected | None = None,
    api_client: Expected | None = None,
    **single: Expected,
) -> dict[str, Expected]:
    """What each persona gets, written by group; a persona named alone overrides its group."""
    table = {
        "anonymous": anonymous,
        "citizen": citizen,
        "other_citizen": citizen,
        "clerk": staff,
        "clerk_other_agency": staff,
        "leader": staff,
        "admin": staff if admin is None else admin,
        "api_client": anonymous if api_client is None else api_client,
    }
    unknown = set(single) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas {sorted(unknown)}; known: {PERSONAS}")
    table.update(single)
    return table


def public(status: Expected = 200) -> dict[str, Expected]:
    return expect(anonymous=status, citizen=status, staff=status)


# Django's admin: only province administrators (Django superusers through membership_grant).
ADMIN_ONLY = expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=200)
API_SIGNED_IN = expect(anonymous=401, citizen=200, staff=200, api_client=200)
# The citizen's portal pages: a session, a citizen account, and for one dossier its applicant.
CITIZENS_ONLY = expect(anonymous=LOGIN, citizen=200, staff=403)
OWN_DOSSIER = expect(anonymous=LOGIN, citizen=200, other_citizen=404, staff=403)


@dataclass(frozen=True)
class World:
    """What a row's ``kwargs`` builder may use: the personas, created on demand."""

    request: pytest.FixtureRequest

    def persona(self, name: str) -> Any:
        return self.request.getfixturevalue(name)


@dataclass(frozen=True)
class Row:
    expected: Mapping[str, Expected] = field(default_factory=dict)
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] | None = None
    path: str | None = None  # for an unnamed pattern, which cannot be reversed
    skip: str = ""


ACCESS_MAP: dict[str, Row] = {
    # --- portal -------------------------------------------------------------------------------
    "portal:home": Row(public(200)),
    "portal:procedure_list": Row(public(200)),
    "portal:procedure_detail": Row(
        public(200), kwargs=lambda world: {"code": ProcedureVersionFactory.create().procedure.code}
    ),
    # A citizen's dossiers (/ho-so/…): the applicant only; another citizen gets 404, staff the
    # 403 page that sends them to the back office. The public lookup (/tra-cuu/) is open to all.
    "portal:dossier_start": Row(CITIZENS_ONLY, kwargs=portal_access.procedure_kwargs),
    "portal:my_dossiers": Row(CITIZENS_ONLY),
    "portal:dossier_detail": Row(OWN_DOSSIER, kwargs=portal_access.received_kwargs),
    "portal:dossier_applicant": Row(OWN_DOSSIER, kwargs=portal_access.draft_kwargs),
    "portal:dossier_files": Row(OWN_DOSSIER, kwargs=portal_access.draft_kwargs),
    "portal:dossier_review": Row(OWN_DOSSIER, kwargs=portal_access.draft_kwargs),
    "portal:dossier_submitted": Row(OWN_DOSSIER, kwargs=portal_access.submitted_kwargs),
    "portal:dossier_supplement": Row(OWN_DOSSIER, kwargs=portal_access.supplement_kwargs),
    "portal:dossier_withdraw": Row(OWN_DOSSIER, kwargs=portal_access.submitted_kwargs),
    "portal:dossier_rate": Row(OWN_DOSSIER, kwargs=portal_access.returned_kwargs),
    "portal:dossier_file": Row(OWN_DOSSIER, kwargs=portal_access.file_kwargs),
    "portal:dossier_slip": Row(OWN_DOSSIER, kwargs=portal_access.slip_kwargs),
    "portal:dossier_lookup_form": Row(public(200)),
    "portal:dossier_lookup": Row(public(200), kwargs=portal_access.code_kwargs),
    # The citizen's data store (/kho-du-lieu/): its owner only.
    "portal:store": Row(CITIZENS_ONLY),
    "portal:store_file": Row(OWN_DOSSIER, kwargs=datastore_access.document_kwargs),
    # --- catalogue, agencies, calendar: public reads --------------------------------------------
    "procedure-list": Row(public(200)),
    "procedure-detail": Row(
        public(200), kwargs=lambda world: {"code": ProcedureVersionFactory.create().procedure.code}
    ),
    "sector-list": Row(public(200)),
    "agencies_api:agency-list": Row(public(200)),
    "agencies_api:agency-detail": Row(
        public(200), kwargs=lambda world: {"edoc_code": world.persona("agency").edoc_code}
    ),
    "calendar-working-days": Row(
        public(200), path="/api/v1/calendar/working-days/?from=2026-01-01&to=2026-03-31"
    ),
    # --- accounts -----------------------------------------------------------------------------
    "accounts:login": Row(public(200)),
    "accounts:logout": Row(public(302), method="post"),
    "accounts:register": Row(expect(anonymous=200, citizen=302, staff=302)),
    "accounts:home": Row(expect(anonymous=LOGIN, citizen=302, staff=302)),
    "accounts_api:token": Row(expect(anonymous=401, citizen=400, staff=400, api_client=400), method="delete"),
    "accounts_api:me": Row(API_SIGNED_IN),
    # --- back office --------------------------------------------------------------------------
    "backoffice:home": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    # --- back office: dossiers (/can-bo/ho-so/) -------------------------------------------------
    # A dossier received at the clerk's and the leader's commune, and an online one waiting at its
    # desk; the other commune's clerk finds neither. The desk's pages are for clerks.
    "backoffice:dossier_search": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    "backoffice:dossier_queue": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200), kwargs=lambda world: {"queue": "cho-tiep-nhan"}
    ),
    # Nothing ticked: the report says so.
    "backoffice:dossier_bulk_forward": Row(expect(anonymous=LOGIN, citizen=403, staff=400), method="post"),
    **{
        f"backoffice:{name}": Row(
            expect(anonymous=LOGIN, citizen=403, staff=403, clerk=200, clerk_other_agency=200)
        )
        for name in ("reception_new", "reception_procedures", "reception_procedure", "reception_applicant")
    },
    **{
        f"backoffice:{name}": Row(expect(anonymous=LOGIN, citizen=403, staff=200))
        for name in ("tracking_book", "tracking_book_pdf", "tracking_book_xlsx")
    },
    "backoffice:dossier_detail": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=backoffice_access.received_kwargs,
    ),
    "backoffice:dossier_reception": Row(
        expect(anonymous=LOGIN, citizen=403, staff=403, clerk=200, clerk_other_agency=404),
        kwargs=backoffice_access.waiting_kwargs,
    ),
    # No file chosen: the desk is told so.
    "backoffice:dossier_attach": Row(
        expect(anonymous=LOGIN, citizen=403, staff=403, clerk=400, clerk_other_agency=404),
        method="post",
        kwargs=backoffice_access.waiting_kwargs,
    ),
    # No lock_version: the form is sent back; nothing changes.
    "backoffice:dossier_action": Row(
        expect(anonymous=LOGIN, citizen=403, staff=400, clerk_other_agency=404),
        method="post",
        kwargs=backoffice_access.action_kwargs,
    ),
    "backoffice:dossier_file": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=backoffice_access.file_kwargs,
    ),
    "backoffice:dossier_slip": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=backoffice_access.slip_kwargs,
    ),
    # Issues (then brings up to date) Mẫu 05 and sends to its PDF.
    "backoffice:dossier_control_slip": Row(
        expect(anonymous=LOGIN, citizen=403, staff=302, clerk_other_agency=404),
        method="post",
        kwargs=backoffice_access.received_kwargs,
    ),
    # The dossier page's panels (liên thông, financial obligation), POSTed without a body: the form
    # comes back (400) to whoever sees the dossier; nothing changes.
    **{
        f"backoffice:{name}": Row(
            expect(anonymous=LOGIN, citizen=403, staff=400, clerk_other_agency=404),
            method="post",
            kwargs=backoffice_access.received_kwargs,
        )
        for name in ("inter_agency_send", "obligation_request", "obligation_confirm", "obligation_counter")
    },
    # A liên thông task sent to the other commune: its clerk takes part, so sees the dossier too.
    "backoffice:inter_agency_finish": Row(
        expect(anonymous=LOGIN, citizen=403, staff=400),
        method="post",
        kwargs=backoffice_panels_access.task_kwargs,
    ),
    # The participating agency's leader gives its liên thông task to one of its specialists.
    "backoffice:inter_agency_assign": Row(
        expect(anonymous=LOGIN, citizen=403, staff=400),
        method="post",
        kwargs=backoffice_panels_access.task_kwargs,
    ),
    # --- back office: digital signatures (/can-bo/ky-so/, a result signed from its dossier) ----------
    # The result of a dossier resolved at the personas' commune; nobody holds a certificate: the
    # leader is told so (400), others who see the dossier may not sign (403).
    "backoffice:result_sign": Row(
        expect(anonymous=LOGIN, citizen=403, staff=403, leader=400, clerk_other_agency=404),
        method="post",
        kwargs=signing_access.result_kwargs,
    ),
    "backoffice:signing_batch": Row(expect(anonymous=LOGIN, citizen=403, staff=403, leader=200)),
    "backoffice:signature_check": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    # --- digitisation (/can-bo/so-hoa/, reuse at the desk, /api/v1/digitisation/counters/) -----------
    # Counters and the text search: every civil servant, over the dossiers they may see.
    **{
        f"backoffice:{name}": Row(expect(anonymous=LOGIN, citizen=403, staff=200))
        for name in ("digitisation_counters", "digitisation_counters_xlsx", "digitisation_search")
    },
    "datastore_api:digitisation-counters": Row(expect(anonymous=401, citizen=403, staff=200, api_client=403)),
    # The desk's clerk only; nothing chosen (or a file that is no desk scan): the page with why.
    "backoffice:dossier_reuse": Row(
        expect(anonymous=LOGIN, citizen=403, staff=403, clerk=400, clerk_other_agency=404),
        method="post",
        kwargs=backoffice_access.waiting_kwargs,
    ),
    "backoffice:dossier_keep_scan": Row(
        expect(anonymous=LOGIN, citizen=403, staff=403, clerk=400, clerk_other_agency=404),
        method="post",
        kwargs=datastore_access.waiting_file_kwargs,
    ),
    # Stored documents are written by the services only: the admin shows them and adds nothing.
    **{
        f"admin:datastore_{model}_add": Row(
            expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
        )
        for model in ("storeddocument", "documentreuse", "extractedtext")
    },
    # --- dossiers API (/api/v1/dossiers/, /api/v1/lookup/) -------------------------------------------
    # A dossier received at the clerk's and the leader's commune, from the citizen. People are scoped
    # by the access layer; the api_client persona holds no dossiers:* scope (403). Actions are POSTed
    # without a body, persona after persona on the same dossier: a body the action needs is a 400;
    # an action the status does not allow a 409; one outside the person's capacity a 403. The clerk's
    # forward moves the dossier to processing; the citizen's withdraw closes it for those after.
    "dossiers_api:dossier-list": Row(expect(anonymous=401, citizen=200, staff=200, api_client=403)),
    "dossiers_api:dossier-detail": Row(
        expect(
            anonymous=401, citizen=200, other_citizen=404, staff=200, clerk_other_agency=404, api_client=403
        ),
        kwargs=dossiers_api_access.received_kwargs,
    ),
    "dossiers_api:lookup": Row(public(200), kwargs=dossiers_api_access.received_kwargs),
    **{
        f"dossiers_api:dossier-{action}": Row(
            expect(
                anonymous=401,
                other_citizen=404,
                clerk_other_agency=404,
                api_client=403,
                **{"citizen": status, "staff": status, **overrides},
            ),
            method="post",
            kwargs=dossiers_api_access.received_kwargs,
        )
        for action, status, overrides in (
            ("receive", 409, {}),
            ("request-supplement", 400, {}),
            ("submit-supplement", 400, {}),
            ("refuse", 400, {}),
            ("forward", 403, {"clerk": 200}),
            ("assign", 400, {}),
            ("inter-agency-start", 400, {}),
            ("inter-agency-assign", 400, {}),
            ("inter-agency-finish", 400, {}),
            ("apologise", 400, {}),
            ("request-payment", 403, {"clerk": 400}),
            ("confirm-payment", 409, {}),
            ("resolve", 400, {}),
            ("return-result", 409, {}),
            ("withdraw", 409, {"citizen": 200}),
            ("rate", 400, {}),
        )
    },
    # --- API schema and docs ------------------------------------------------------------------
    "api-schema": Row(public(200)),
    "api-docs": Row(public(200)),
    # --- directives and tasks (/can-bo/chi-dao/, /api/v1/directives/, /api/v1/tasks/) ------------
    # The task is led by the clerk's and the leader's commune; another office follows the directive.
    "directives:index": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    "directives:directive_create": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    "directives:inbox": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    "directives:report": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    "directives:report_xlsx": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    "directives:report_pdf": Row(expect(anonymous=LOGIN, citizen=403, staff=200)),
    "directives:directive_detail": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=directives_access.directive_kwargs,
    ),
    "directives:directive_document": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=directives_access.directive_kwargs,
    ),
    # Reviewing and assigning belong to the office that follows the directive (and its leader).
    "directives:directive_review": Row(
        expect(anonymous=LOGIN, citizen=403, staff=404), kwargs=directives_access.directive_kwargs
    ),
    "directives:task_detail": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=directives_access.task_kwargs,
    ),
    # The clerk accepts; the others see the page again with the reason the step is refused.
    "directives:task_action": Row(
        expect(anonymous=LOGIN, citizen=403, staff=302, clerk_other_agency=404),
        method="post",
        kwargs=directives_access.task_action_kwargs,
    ),
    "directives:attachment": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=directives_access.attachment_kwargs,
    ),
    "directives_api:directive-list": Row(expect(anonymous=401, citizen=403, staff=200, api_client=403)),
    "directives_api:directive-extract": Row(
        expect(anonymous=401, citizen=403, staff=400, api_client=403), method="post"
    ),
    "directives_api:directive-detail": Row(
        expect(anonymous=401, citizen=403, staff=200, clerk_other_agency=404, api_client=403),
        kwargs=directives_access.directive_kwargs,
    ),
    "directives_api:task-list": Row(expect(anonymous=401, citizen=403, staff=200, api_client=403)),
    "directives_api:task-detail": Row(
        expect(anonymous=401, citizen=403, staff=200, clerk_other_agency=404, api_client=403),
        kwargs=directives_access.task_kwargs,
    ),
    "directives_api:task-action": Row(
        expect(anonymous=401, citizen=403, staff=400, clerk=200, clerk_other_agency=404, api_client=403),
        method="post",
        kwargs=directives_access.task_action_kwargs,
    ),
    # Directives are recorded on their page (where tasks are proposed); tasks and their history
    # change only through services: the admin shows them and adds nothing.
    **{
        f"admin:directives_{model}_add": Row(
            expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
        )
        for model in ("directive", "task", "taskevent", "extensionrequest", "reminder")
    },
    # --- indicators: unit reports and targets (/can-bo/chi-so/bao-cao/, /chi-tieu-giao/) ----------
    # A draft report of the clerk's and the leader's commune: its staff open and fill it in (an empty
    # POST is a 400), another commune finds nothing; the province administrator sees it and reviews
    # (but fills in nothing). Targets are set by the province: commune staff read them only.
    **{
        f"indicators:{name}": Row(expect(anonymous=LOGIN, citizen=403, staff=200))
        for name in ("reports", "report_queue", "reports_late", "targets")
    },
    "indicators:report_open": Row(expect(anonymous=LOGIN, citizen=403, staff=400), method="post"),
    "indicators:report": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=indicator_reports_access.report_kwargs,
    ),
    "indicators:report_template": Row(
        expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
        kwargs=indicator_reports_access.report_kwargs,
    ),
    "indicators:report_upload": Row(
        expect(anonymous=LOGIN, citizen=403, staff=400, clerk_other_agency=404, admin=403),
        method="post",
        kwargs=indicator_reports_access.report_kwargs,
    ),
    "indicators:report_review": Row(
        expect(anonymous=LOGIN, citizen=403, staff=403, clerk_other_agency=404, admin=400),
        method="post",
        kwargs=indicator_reports_access.report_kwargs,
    ),
    "indicators:target_set": Row(expect(anonymous=LOGIN, citizen=403, staff=403, admin=400), method="post"),
    "indicators:targets_import": Row(
        expect(anonymous=LOGIN, citizen=403, staff=403, admin=400), method="post"
    ),
    "indicators:targets_template": Row(expect(anonymous=LOGIN, citizen=403, staff=403, admin=200)),
    # A unit's figures: staff of a unit and integration clients with indicators:write (the persona has
    # none); an empty body is a 400.
    "indicators_api:report-submit": Row(
        expect(anonymous=401, citizen=403, staff=400, api_client=403), method="post"
    ),
    # --- payments (/thanh-toan/, /can-bo/thanh-toan/, /sandbox-gateway/) ---------------------------
    # citizen's dossier, received by the clerk's commune (the competent agency: the leader sees it).
    "payments:dossier_fees": Row(
        expect(anonymous=LOGIN, citizen=200, other_citizen=404, staff=200, clerk_other_agency=404),
        kwargs=payments_access.dossier_kwargs,
    ),
    # The applicant goes to the gateway; staff come back to the page with the reason.
    "payments:dossier_pay": Row(
        expect(anonymous=LOGIN, citizen=302, other_citizen=404, staff=302, clerk_other_agency=404),
        method="post",
        kwargs=payments_access.dossier_kwargs,
    ),
    # The gateway's callbacks are public and answer by signature: none here.
    "payments:gateway_return": Row(public(400)),
    "payments:gateway_ipn": Row(public(200)),
    "payments:payment_status": Row(
        expect(anonymous=LOGIN, citizen=200, other_citizen=404, staff=200, clerk_other_agency=404),
        kwargs=payments_access.payment_kwargs,
    ),
    # Public lookup by dossier code and receipt number (both): nothing without them.
    "payments:receipt_lookup": Row(public(200)),
    "payments:receipt_pdf": Row(public(404)),
    # Only the receiving desk's clerk takes money at the counter.
    "payments_staff:counter_payment": Row(
        expect(anonymous=LOGIN, citizen=403, staff=403, clerk=200, clerk_other_agency=404),
        kwargs=payments_access.dossier_kwargs,
    ),
    # The desk's clerk and the competent agency's leader exempt a fee; nothing posted: the page
    # again with the reason.
    "payments_staff:fee_exempt": Row(
        expect(anonymous=LOGIN, citizen=403, staff=302, clerk_other_agency=404, admin=403),
        method="post",
        kwargs=payments_access.fee_kwargs,
    ),
    # Payments are evidence written by the services: the admin shows them and adds nothing.
    **{
        f"admin:payments_{model}_add": Row(
            expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
        )
        for model in ("payment", "dossierfee", "gatewaycallback", "ereceipt")
    },
    **(
        {"sandbox_gateway:vpcpay": Row(public(400))}
        if getattr(settings, "SANDBOX_GATEWAY_ENABLED", False)
        else {}
    ),
    # --- the operations centre (/can-bo/chi-so/, /chi-so/) ----------------------------------------
    # Every civil servant sees the province's figures; a unit's page, its workbook and the dossiers
    # behind a figure only within scope: the commune's own staff (clerk, leader) and province-level
    # staff (admin); the dossiers behind the province figure are for province-level staff only.
    **{
        f"indicators:{name}": Row(expect(anonymous=LOGIN, citizen=403, staff=200))
        for name in ("overview", "summary", "export_overview_xlsx", "export_briefing_pdf")
    },
    **{
        f"indicators:{name}": Row(
            expect(anonymous=LOGIN, citizen=403, staff=200), kwargs=indicators_access.indicator_kwargs
        )
        for name in ("tile", "indicator", "export_indicator_xlsx")
    },
    "indicators:drilldown": Row(
        expect(anonymous=LOGIN, citizen=403, staff=404, admin=200), kwargs=indicators_access.indicator_kwargs
    ),
    # Posted without a unit: the province's dossiers, queued for the admin only.
    "indicators:export_dossiers": Row(
        expect(anonymous=LOGIN, citizen=403, staff=404, admin=302),
        method="post",
        kwargs=indicators_access.indicator_kwargs,
    ),
    **{
        f"indicators:{name}": Row(
            expect(anonymous=LOGIN, citizen=403, staff=200, clerk_other_agency=404),
            kwargs=indicators_access.unit_kwargs,
        )
        for name in ("unit", "export_unit_xlsx")
    },
    # An export belongs to whoever asked for it (the admin here).
    **{
        f"indicators:{name}": Row(
            expect(anonymous=LOGIN, citizen=403, staff=404, admin=200), kwargs=indicators_access.export_kwargs
        )
        for name in ("export_job", "export_file")
    },
    "indicators_public:index": Row(public(200)),
    # The indicators API: the catalogue and the figures of a published indicator are public data.
    "indicators_api:indicator-list": Row(public(200)),
    "indicators_api:indicator-values": Row(
        public(200), kwargs=indicators_api_access.published_indicator_kwargs
    ),
    # Targets, reports and derived facts change through services only: nothing to add in the admin.
    **{
        f"admin:indicators_{model}_add": Row(
            expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
        )
        for model in ("target", "report", "dossierdayfact", "factwatermark", "exportjob")
    },
    # --- Django admin (/quan-tri/) ------------------------------------------------------------
    "admin:index": Row(ADMIN_ONLY),
    "admin:login": Row(expect(anonymous=200, citizen=200, staff=200, admin=302)),
    "admin:logout": Row(public(302), method="post"),
    "admin:password_change": Row(ADMIN_ONLY),
    "admin:password_change_done": Row(ADMIN_ONLY),
    "admin:jsi18n": Row(ADMIN_ONLY),
    "admin:autocomplete": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    "admin:app_list": Row(ADMIN_ONLY, kwargs=lambda world: {"app_label": "accounts"}),
    "admin:view_on_site": Row(skip="a redirect to an object's public page; no model defines one yet"),
    "admin:auth_user_password_change": Row(
        ADMIN_ONLY, kwargs=lambda world: {"id": world.persona("citizen").pk}
    ),
    "admin:accounts_user_change": Row(
        ADMIN_ONLY, kwargs=lambda world: {"object_id": world.persona("citizen").pk}
    ),
    "admin:accounts_apiclient_change": Row(
        ADMIN_ONLY, kwargs=lambda world: {"object_id": world.persona("api_client").client.pk}
    ),
    # Roles are given on the person's page, keys issued from the clients' list, tokens by the API.
    "admin:accounts_membership_add": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    "admin:accounts_apikey_add": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    # The calendar's audit is written by the services, never by hand.
    "admin:workcalendar_calendardaychange_add": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    "admin:accounts_accesstoken_add": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    # Dossiers, jobs and messages are made by the services, never typed into the admin.
    "admin:dossiers_dossier_add": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    "admin:jobs_job_add": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    "admin:jobs_periodicschedule_add": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    "admin:notifications_outgoingmessage_add": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=403)
    ),
    "quan-tri/(?P<url>.*)$": Row(
        expect(anonymous=ADMIN_LOGIN, citizen=ADMIN_LOGIN, staff=ADMIN_LOGIN, admin=404),
        path="/quan-tri/khong-co-trang-nay/",
    ),
}

# Families of URLs that answer alike (fnmatch globs over the same keys); a URL's own row in
# ACCESS_MAP wins over these, and the first matching glob wins over the later ones.
ACCESS_GLOBS: dict[str, Row] = {
    "admin:*_changelist": Row(ADMIN_ONLY),
    "admin:*_add": Row(ADMIN_ONLY),
    "admin:*_change": Row(skip="needs an object; the same ModelAdmin permissions as its list"),
    "admin:*_history": Row(skip="needs an object; the same ModelAdmin permissions as its list"),
    "admin:*_delete": Row(skip="needs an object; the same ModelAdmin permissions as its list"),
    "quan-tri/*/<path:object_id>/": Row(skip="Django admin's unnamed redirect to an object's change page"),
}


# --- The walk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Url:
    key: str  # "namespace:name", or the route of an unnamed pattern
    route: str
    arguments: frozenset[str]
    named: bool


def _walk(
    patterns: list[URLPattern | URLResolver],
    prefix: str = "",
    namespace: str = "",
    arguments: frozenset[str] = frozenset(),
) -> Iterator[Url]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        found = arguments | set(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner, found)
        else:
            key = route
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Url(key=key, route=route, arguments=found, named=bool(pattern.name))


def all_urls() -> list[Url]:
    return list(_walk(get_resolver().url_patterns))


def row_for(key: str) -> tuple[str, Row] | None:
    """The row of a URL and the key it is listed under: its own, else the first glob covering it."""
    if key in ACCESS_MAP:
        return key, ACCESS_MAP[key]
    for pattern, row in ACCESS_GLOBS.items():
        if fnmatch.fnmatchcase(key, pattern):
            return pattern, row
    return None


def test_every_url_is_in_the_access_map():
    urls = all_urls()
    missing = sorted({url.key for url in urls if row_for(url.key) is None})
    used = {found[0] for url in urls if (found := row_for(url.key))}
    stale = sorted((set(ACCESS_MAP) | set(ACCESS_GLOBS)) - used)

    assert not missing, (
        "These URLs are not in the access table, ACCESS_MAP in tests/test_access_matrix.py. Add a "
        "row for each saying what every persona gets (see the module docstring):\n  " + "\n  ".join(missing)
    )
    assert not stale, "These rows match no URL any more; remove or rename them:\n  " + "\n  ".join(stale)


def test_every_row_names_every_persona():
    incomplete = {
        key: sorted(set(PERSONAS) - set(row.expected))
        for key, row in {**ACCESS_MAP, **ACCESS_GLOBS}.items()
        if not row.skip and set(row.expected) != set(PERSONAS)
    }

    assert not incomplete, f"Rows that leave personas out: {incomplete}"


def _checked_urls() -> list[Any]:
    params = []
    for url in all_urls():
        found = row_for(url.key)
        if found is None or found[1].skip:
            continue
        params.append(pytest.param(url, found[1], id=url.key))
    return params


def _request(client: Client, row: Row, path: str, headers: dict[str, str]) -> Any:
    return getattr(client, row.method)(path, headers=headers)


def _matches(response: Any, expected: Expected) -> bool:
    if expected == LOGIN:
        return bool(response.status_code == 302 and response.url.startswith(reverse("accounts:login")))
    if expected == ADMIN_LOGIN:
        return bool(response.status_code == 302 and response.url.startswith(reverse("admin:login")))
    return bool(response.status_code == expected)


def _describe(response: Any) -> str:
    if 300 <= response.status_code < 400:
        return f"{response.status_code} to {response.url}"
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "row"), _checked_urls())
def test_each_persona_gets_what_the_table_says(request, url, row):
    world = World(request)
    if row.path is not None:
        path = row.path
    else:
        assert url.named, f"{url.route} has no name: give its row a sample path, or a skip reason"
        kwargs = row.kwargs(world) if row.kwargs else {}
        missing = url.arguments - set(kwargs)
        assert not missing, (
            f"{url.key} ({url.route}) needs {sorted(missing)}: give its row a kwargs builder, or a skip "
            "reason naming where it is tested"
        )
        path = reverse(url.key, kwargs=kwargs)
    wrong = []
    for persona in PERSONAS:
        client = Client()
        headers: dict[str, str] = {}
        if persona == "api_client":
            headers = world.persona("api_client").headers
        elif persona != "anonymous":
            client.force_login(world.persona(persona))
        response = _request(client, row, path, headers)
        if not _matches(response, row.expected[persona]):
            wrong.append(f"{persona}: expected {row.expected[persona]}, got {_describe(response)}")

    assert not wrong, f"{row.method.upper()} {path} ({url.key}):\n  " + "\n  ".join(wrong)
