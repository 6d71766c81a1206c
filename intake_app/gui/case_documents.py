"""Papers printed from the case view (issue 6: items 3, 4, 5, 6; issue 22).

Each paper is built in memory by ``intake_app.documents`` from the case's saved
intakes (``session.records.latest_intake`` / ``case_intakes``), the loaded municipality
and the domain's advice, then shown in the print preview. Every print or PDF export
is recorded with ``store.outputs.paper_recorder(session, kind, case_id, None)`` (an audit
entry). A paper that cannot be produced returns a Japanese message instead; no
preview opens and nothing is recorded. A paper the client takes home first asks its
print-time choices (``gui.client_papers``: her language, the card's appointment, the
safety plan's wording); cancelling opens nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from intake_app.domain.advice import advise
from intake_app.domain.errors import UserError
from intake_app.domain.municipality import Municipality
from intake_app.gui import print_preview
from intake_app.store.outputs import paper_recorder

if TYPE_CHECKING:
    from intake_app.store.records import CaseFile
    from intake_app.store.session import Session

COURT_REPORT = "court_report"
SUPPORT_MEASURE_OPINION = "support_measure_opinion"
CHILD_NOTIFICATION = "child_notification"
PROTECTION_ORDER_ADVICE = "protection_order_advice"
PROTECTION_ORDER_ADVICE_DISCREET = "protection_order_advice_discreet"
SAFETY_PLAN = "safety_plan"
CONTACTS = "contacts"
CLIENT_PAPERS = (PROTECTION_ORDER_ADVICE, PROTECTION_ORDER_ADVICE_DISCREET, SAFETY_PLAN, CONTACTS)


def tr(text: str) -> str:
    return QCoreApplication.translate("CaseDocuments", text)


def no_municipality() -> str:
    return tr("市区町村の設定ファイルを読み込めないため、書類を作成できません。")


@dataclass(frozen=True)
class CaseDocument:
    kind: str  # a key of intake_app.documents.KINDS (the print audit entry's kind)
    button: str  # the button text, with its mnemonic
    accessible_name: str


def case_documents() -> list[CaseDocument]:
    """The case view's paper buttons, in display order."""
    return [
        CaseDocument(
            COURT_REPORT,
            tr("裁判所への書面(&R)"),
            tr("裁判所への書面（第14条第2項）を作成"),
        ),
        CaseDocument(
            SUPPORT_MEASURE_OPINION,
            tr("支援措置の意見書(&O)"),
            tr("支援措置申出に係る意見を作成"),
        ),
        CaseDocument(
            CHILD_NOTIFICATION,
            tr("通告の記録(&T)"),
            tr("児童に関する通告の記録を作成"),
        ),
        CaseDocument(
            PROTECTION_ORDER_ADVICE,
            tr("保護命令の案内(&P)"),
            tr("保護命令についてのご案内を作成"),
        ),
        CaseDocument(
            PROTECTION_ORDER_ADVICE_DISCREET,
            tr("持ち歩き用カード(&D)"),
            tr("予約と連絡先だけの持ち歩き用カードを作成"),
        ),
        CaseDocument(SAFETY_PLAN, tr("くらしのメモ(&L)"), tr("くらしのメモ（安全計画）を作成")),
        CaseDocument(CONTACTS, tr("相談窓口の案内(&W)"), tr("相談窓口のご案内を作成")),
    ]


WITHOUT_RECORDS = (PROTECTION_ORDER_ADVICE_DISCREET, CONTACTS)


def no_consultation_yet() -> str:
    """A case received from another centre before its first consultation here: the
    papers made from this centre's own records are not offered, and the view says why."""
    return tr(
        "このケースにはまだこのセンターでの相談の記録がありません。相談を記録すると、"
        "記録をもとにした書類（裁判所への書面、くらしのメモなど）を作れます。"
    )


def available(case: CaseFile) -> set[str]:
    """Which papers apply to the case shown (``records.CaseFile``): the opinion only with
    a 支援措置 recorded, the notification record only when a notification was made, and
    without any consultation yet (a received case) only those that read no record."""
    if not case.consultations:
        return set(WITHOUT_RECORDS)
    kinds = {COURT_REPORT, *CLIENT_PAPERS}
    if case.support_measure is not None:
        kinds.add(SUPPORT_MEASURE_OPINION)
    if any(c.child_notified for c in case.consultations):
        kinds.add(CHILD_NOTIFICATION)
    return kinds


class Refused(UserError):
    """The paper cannot be produced; ``message`` says why, in Japanese."""


def build(
    kind: str,
    session: Session,
    case_id: int,
    municipality: Municipality | str | None,
    today: dt.date,
    choice: Any = None,
    latest: Any = None,
) -> bytes:
    """The paper's PDF bytes; ``Refused`` with a Japanese message when it cannot be made.
    ``choice``: a client paper's ``gui.client_papers.ClientPaperChoice`` (Japanese, the
    neutral wording and no appointment without it); ``latest``: the case's latest intake
    when the caller has read it already."""
    # reportlab is loaded when the first paper is made, not with the main window
    from intake_app import documents
    from intake_app.documents._common import in_person
    from intake_app.gui.client_papers import ClientPaperChoice
    from intake_app.gui.intake.printing import official

    if not isinstance(municipality, Municipality):
        raise Refused(no_municipality())
    choice = choice or ClientPaperChoice()
    client = {"language": choice.code, "centre_reviews": choice.reviews}
    records = session.records
    try:
        if kind == COURT_REPORT:
            intakes = records.case_intakes(case_id)
            if not in_person(intakes):
                raise Refused(
                    tr(
                        "このケースには来所・同行による相談の記録がありません（電話などの相談"
                        "だけです）。裁判所への書面は面接による相談をもとに作るため、"
                        "作成できません。"
                    )
                )
            # the court's 照会 as the case records it (確認・記録: 部・係, 事件番号, 照会日);
            # without one the report is addressed to the court of the settings
            recorded = session.tracking.case(case_id).latest_request
            return documents.court_report(
                intakes,
                municipality,
                today=today,
                request=recorded.request if recorded is not None else None,
                **official(session, kind),
            )
        if kind == SUPPORT_MEASURE_OPINION:
            latest = records.latest_intake(case_id)
            return documents.support_measure_opinion(
                latest,
                municipality,
                today=today,
                consultations=records.case_intakes(case_id),
                **official(session, kind),
            )
        if kind == CHILD_NOTIFICATION:
            notified = [i for i in records.case_intakes(case_id) if i.household.child_notification]
            if not notified:
                raise Refused(tr("このケースには児童に関する通告の記録がありません。"))
            intake = notified[-1]
            advice = advise(intake, municipality, today)
            return documents.child_notification_record(
                intake,
                municipality,
                today=today,
                advice=advice.child_notification,
                **official(session, kind),
            )
        if kind == PROTECTION_ORDER_ADVICE_DISCREET:
            return documents.discreet_card(municipality, appointment=choice.appointment, **client)
        if kind == CONTACTS:
            return documents.contacts(municipality, **client)
        if kind == SAFETY_PLAN:
            latest = latest or records.latest_intake(case_id)
            return documents.safety_plan(
                latest, municipality, today=today, wording=choice.wording, **client
            )
        if kind == PROTECTION_ORDER_ADVICE:
            latest = latest or records.latest_intake(case_id)
            advice = advise(latest, municipality, today)
            return documents.protection_order_advice(
                latest,
                municipality,
                today=today,
                result=advice.protection_order,
                state=advice.protection_order_state,
                consultations=records.case_intakes(case_id),
                **client,
            )
    except documents.DocumentError as exc:
        raise Refused(exc.message) from None
    raise ValueError(kind)


def open_case_document(
    parent: QWidget,
    session: Session,
    case_id: int,
    kind: str,
    municipality: Municipality | str | None,
    today: dt.date,
    *,
    appointment: dt.date | dt.datetime | None = None,
) -> tuple[print_preview.PrintPreviewDialog | None, str]:
    """Build the paper and open its preview: ``(dialog, "")``, or ``(None, message)``;
    ``(None, "")`` when the counselor cancelled a client paper's choices.
    ``appointment``: the default next appointment on the card (the next follow-up)."""
    from intake_app.documents import DISCREET_KINDS, KINDS

    try:
        choice = latest = None
        if kind in CLIENT_PAPERS:
            from intake_app.documents import client_paper_refusal
            from intake_app.gui import client_papers

            if not isinstance(municipality, Municipality):
                raise Refused(no_municipality())
            reason = client_paper_refusal(kind, municipality)
            if reason:
                raise Refused(reason)
            latest = session.records.latest_intake(case_id)
            choice = client_papers.ask_client_paper(
                parent,
                kind,
                language=client_papers.default_language(latest),
                reviews=client_papers.centre_reviews(session),
                appointment=appointment,
                title=tr(KINDS[kind]),
            )
            if choice is None:
                return None, ""
        pdf = build(kind, session, case_id, municipality, today, choice, latest)
    except UserError as exc:  # Refused, RecordNotFound, a VaultError …
        return None, exc.message
    record = paper_recorder(session, kind, case_id, None)
    # a discreet paper's file name says nothing either
    stem = "annai" if kind in DISCREET_KINDS else kind
    dialog = print_preview.show_preview(
        parent, pdf, tr(KINDS[kind]), record, suggested_name=f"{stem}_{today:%Y%m%d}.pdf"
    )
    return dialog, ""
