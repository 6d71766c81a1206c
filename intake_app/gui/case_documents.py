"""Papers printed from the case view (issue 6: items 3, 4, 5, 6).

Each paper is built in memory by ``intake_app.documents`` from the case's saved
intakes (``session.records.latest_intake`` / ``case_intakes``), the loaded municipality
and the domain's advice, then shown in the print preview. Every print or PDF export
is recorded with ``store.outputs.paper_recorder(session, kind, case_id, None)`` (an audit
entry). A paper that cannot be produced returns a Japanese message instead; no
preview opens and nothing is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def tr(text: str) -> str:
    return QCoreApplication.translate("CaseDocuments", text)


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
            tr("持ち歩き用の案内(&D)"),
            tr("表紙に何も書かれていない持ち歩き用の案内を作成"),
        ),
    ]


def available(case: CaseFile) -> set[str]:
    """Which papers apply to the case shown (``records.CaseFile``): the opinion only with
    a 支援措置 recorded, the notification record only when a notification was made."""
    kinds = {COURT_REPORT, PROTECTION_ORDER_ADVICE, PROTECTION_ORDER_ADVICE_DISCREET}
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
) -> bytes:
    """The paper's PDF bytes; ``Refused`` with a Japanese message when it cannot be made."""
    # reportlab is loaded when the first paper is made, not with the main window
    from intake_app import documents
    from intake_app.documents._common import in_person
    from intake_app.gui.intake.printing import official

    if not isinstance(municipality, Municipality):
        raise Refused(tr("市区町村の設定ファイルを読み込めないため、書類を作成できません。"))
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
            # request: the court's 照会 (domain.court.CourtRequest: 部・係, 事件番号, 照会日)
            # once the case records it; None addresses the court of the settings.
            return documents.court_report(
                intakes, municipality, today=today, request=None, **official(session, kind)
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
        if kind in (PROTECTION_ORDER_ADVICE, PROTECTION_ORDER_ADVICE_DISCREET):
            latest = records.latest_intake(case_id)
            advice = advise(latest, municipality, today)
            return documents.protection_order_advice(
                latest,
                municipality,
                today=today,
                result=advice.protection_order,
                consultations=records.case_intakes(case_id),
                discreet=kind == PROTECTION_ORDER_ADVICE_DISCREET,
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
) -> tuple[print_preview.PrintPreviewDialog | None, str]:
    """Build the paper and open its preview: ``(dialog, "")``, or ``(None, message)``."""
    from intake_app.documents import DISCREET_KINDS, KINDS

    try:
        pdf = build(kind, session, case_id, municipality, today)
    except UserError as exc:  # Refused, RecordNotFound, a VaultError …
        return None, exc.message
    record = paper_recorder(session, kind, case_id, None)
    # a discreet paper's file name says nothing either
    stem = "annai" if kind in DISCREET_KINDS else kind
    dialog = print_preview.show_preview(
        parent, pdf, tr(KINDS[kind]), record, suggested_name=f"{stem}_{today:%Y%m%d}.pdf"
    )
    return dialog, ""
