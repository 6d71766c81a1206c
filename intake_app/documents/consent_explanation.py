"""紹介と同意についての説明: what a referral discloses, to whom, and that she may refuse.

Printed in her language beside the Japanese before she gives (or refuses) consent
(intake step 8), so that the consent is informed. For each referral: the
destination (its name, and its kind in her language), the purpose as the counselor
wrote it, and the items the slip would carry (the same list as the slip itself,
``referral.disclosed_fields``), her address and whereabouts said out loud when
they are among them; the mandatory child notification is named as needing no
consent. No value of hers is printed, only what kind of thing is told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._client import ClientPaper, required
from intake_app.documents.errors import DocumentError
from intake_app.documents.referral import disclosed_fields
from intake_app.domain.codes import REFERRAL_FIELDS
from intake_app.domain.model import Intake, Referral
from intake_app.domain.municipality import DESTINATION_KINDS
from intake_app.domain.rules import referrals as referral_rules

PAPER = "consent_explanation"


def consent_explanation(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    referrals: Sequence[Referral] | None = None,
    language: str | None = None,
    centre_reviews: Any = None,
) -> bytes:
    """The explanation as PDF bytes for ``referrals`` (default: the intake's)."""
    chosen = list(intake.referrals if referrals is None else referrals)
    if not chosen:
        raise DocumentError("紹介先が選ばれていないため、説明の書類を作成できません。")
    sender = _centre.sender(municipality)
    phone = required(sender.phone, "センターの電話番号")
    paper = ClientPaper(PAPER, language, author=sender.name, centre_reviews=centre_reviews)
    paper.title()
    paper.review_notice()
    paper.row(*paper.dated(today), kind="small")
    paper.para("intro")
    for referral in chosen:
        dest = _centre.destination(municipality, referral.destination_id)
        kind = dest.kind if dest.kind in DESTINATION_KINDS else "other"
        ja_kind, tr_kind = paper.texts(f"kinds.{kind}")
        paper.row(
            paper.ja.t("destination", name=dest.name, kind=ja_kind),
            None if paper.tr is None else paper.tr.t("destination", name=dest.name, kind=tr_kind),
            kind="heading",
        )
        if referral.purpose.strip():
            paper.field("purpose", referral.purpose.strip())
        if referral_rules.is_mandatory_notification(referral, dest):
            paper.para("mandatory")
        fields = disclosed_fields(intake, referral, dest)
        paper.para("fields_heading")
        ja_labels = paper.ja.table("fields")
        tr_labels = paper.tr.table("fields") if paper.tr is not None else {}
        paper.bullets(
            (
                str(ja_labels.get(f, REFERRAL_FIELDS.get(f, f))),
                None if paper.tr is None else str(tr_labels.get(f, REFERRAL_FIELDS.get(f, f))),
            )
            for f in fields
        )
        if set(fields) & referral_rules.LOCATION_FIELDS:
            paper.para("location")
    paper.para("how")
    paper.heading("rights_heading")
    paper.bullets(paper.list_items("rights"))
    paper.row(f"{sender.name}　{phone}", kind="small")
    return paper.build()
