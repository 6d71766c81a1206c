"""Papers a consultation produces, built with reportlab as PDF bytes in memory. No Qt.

Every builder takes domain objects (``Intake``, the loaded ``Municipality``, rule
results) and returns ``bytes``; nothing is written to disk. ``KINDS`` names each
kind for the print audit entry (``store.outputs.record_output(..., kind=kind)``).
"""

from __future__ import annotations

from intake_app.documents._client import refusal as client_paper_refusal
from intake_app.documents.child_notification import child_notification_record
from intake_app.documents.consent_explanation import consent_explanation
from intake_app.documents.contacts import contacts
from intake_app.documents.court_report import court_report
from intake_app.documents.discreet_card import discreet_card
from intake_app.documents.errors import DocumentError
from intake_app.documents.protection_order import protection_order_advice
from intake_app.documents.referral import disclosed_fields, referral_slip
from intake_app.documents.safety_plan import safety_plan
from intake_app.documents.shelter import shelter_request
from intake_app.documents.support_measure import support_measure_opinion

KINDS: dict[str, str] = {
    "referral_slip": "連絡票",
    "shelter_request": "一時保護依頼票",
    "protection_order_advice": "保護命令についてのご案内",
    "protection_order_advice_discreet": "持ち歩き用カード（予約と連絡先）",
    "court_report": "裁判所への書面（第14条第2項）",
    "support_measure_opinion": "支援措置申出に係る意見",
    "child_notification": "児童に関する通告の記録",
    "safety_plan": "くらしのメモ（安全計画）",
    "contacts": "相談窓口のご案内",
    "consent_explanation": "紹介と同意についての説明",
}
DISCREET_KINDS = frozenset({"protection_order_advice_discreet", "safety_plan"})
# The papers the client takes home: printed in her language beside the Japanese
# (``language=`` code of ``domain.languages``), texts in resources/papers/.
CLIENT_KINDS = (
    "protection_order_advice",
    "protection_order_advice_discreet",
    "safety_plan",
    "contacts",
    "consent_explanation",
)

__all__ = [
    "CLIENT_KINDS",
    "DISCREET_KINDS",
    "KINDS",
    "DocumentError",
    "child_notification_record",
    "client_paper_refusal",
    "consent_explanation",
    "contacts",
    "court_report",
    "disclosed_fields",
    "discreet_card",
    "protection_order_advice",
    "referral_slip",
    "safety_plan",
    "shelter_request",
    "support_measure_opinion",
]
