"""保護命令についてのご案内: the protection-order paper for the client (rules.md §2, §8, §9).

It prints what the domain's result says for her case: the orders with their periods
(orders ②-⑤ 「接近禁止命令の期間中」, never 「12か月」), the contact ban's acts exactly as
the result lists them (the location-tag act only for decisions from 2025-12-30), the
consents the child and relative orders need; then what rules.md §9.6 adds: the
application and the evidence go to the respondent, a breach is a crime (call 110),
orders ②-⑤ end with ①; and 法テラス. A result still waiting for answers (判断待ち)
never prints as 要件にあたらない. In her language beside the Japanese (``language``).

The discreet variant is a separate paper now, the appointment card
(``discreet_card.discreet_card``); ``discreet=True`` still builds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._client import ClientPaper, required
from intake_app.documents._common import in_person
from intake_app.documents._layout import mark_heading
from intake_app.domain.model import Intake
from intake_app.domain.rules import protection_order as po_rules

PAPER = "protection_order_advice"
ORDER_TYPES = po_rules.ORDER_TYPES
CONFIRM = ("child_consent", "relative_consent", "condition", "secrecy")  # rules.md 要確認


def _general_orders() -> list[Mapping[str, Any]]:
    """Every order with its usual period, for a paper without a result."""
    until = {"months": None, "until": po_rules.UNTIL_APPROACH_BAN}
    return [
        {"type": "approach_ban", "months": po_rules.APPROACH_BAN_MONTHS},
        {"type": "contact_ban", **until},
        {"type": "child_approach_ban", **until},
        {"type": "child_contact_ban", **until},
        {"type": "relative_approach_ban", **until},
        {
            "type": "eviction",
            "months": po_rules.EVICTION_MONTHS,
            "max_months": po_rules.EVICTION_MAX_MONTHS_SOLE_HOME,
        },
    ]


def _orders(result: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    if result is None:
        return _general_orders()
    return [o for o in result.get("orders", ()) if o.get("type") in ORDER_TYPES]


def _state(
    intake: Intake, today: dt.date, result: Mapping[str, Any] | None, state: str | None
) -> str:
    """eligible / not_eligible / pending / general (no result). Without a state from
    the caller, the intake is evaluated again: a result that is not eligible prints as
    要件にあたらない only when the domain says so, never while it waits for answers."""
    if result is None:
        return "general"
    if state in ("eligible", "not_eligible", "pending"):
        return state
    if result.get("eligible"):
        return "eligible"
    evaluated = po_rules.evaluate_intake(intake, today).state
    return "not_eligible" if evaluated == "not_eligible" else "pending"


def protection_order_advice(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    result: Mapping[str, Any] | None = None,
    consultations: list[Intake] | None = None,
    discreet: bool = False,
    state: str | None = None,
    language: str | None = None,
    centre_reviews: Any = None,
    appointment: dt.datetime | dt.date | None = None,
) -> bytes:
    """The paper as PDF bytes.

    ``result``: ``domain.rules.protection_order.evaluate`` output (rules.md §2.5);
    without it the paper lists the six orders as general information. ``state``: the
    advice's ``protection_order_state`` ("eligible" | "not_eligible" | "pending").
    ``consultations``: the case's consultations (this one when omitted), for the prior
    in-person consultation. ``language``: her language's code (None or "ja": Japanese
    only). ``centre_reviews``: the centre's review marks by code
    (``store.paper_languages.centre_reviews``). ``discreet=True`` builds the
    appointment card instead (``appointment``: its date and time).
    """
    if discreet:
        from intake_app.documents.discreet_card import discreet_card

        return discreet_card(
            municipality,
            appointment=appointment,
            language=language,
            centre_reviews=centre_reviews,
        )
    sender = _centre.sender(municipality)
    phone = required(sender.phone, "センターの電話番号")
    paper = ClientPaper(PAPER, language, author=sender.name, centre_reviews=centre_reviews)
    paper.title()
    paper.review_notice()
    paper.row(*_field_pair(paper, "date", *paper.dated(today)))
    paper.field("centre", sender.name)
    if intake.consultation.counselor:
        paper.field("counselor", intake.consultation.counselor)
    paper.field("phone", phone)
    paper.para("intro")
    ja_day, tr_day = paper.dated(_law_day(result, today))
    paper.row(
        paper.ja.t("law_note", date=ja_day),
        None if paper.tr is None else paper.tr.t("law_note", date=tr_day),
        kind="small",
    )

    paper.heading("heading_orders")
    paper.para(f"status_{_state(intake, today, result, state)}")
    for order in _orders(result):
        _order(paper, order, today)

    paper.heading("heading_court")
    court = _centre.court(municipality)
    if court is not None and court.name:
        paper.field("court", court.name)
        if court.address:
            paper.field("court_address", court.address)
        if court.phone:
            paper.field("phone", court.phone)
    ja_rule, tr_rule = paper.texts("court_rule")
    if court is not None and court.note:
        ja_rule = court.note  # the city's own wording; her column keeps the general rule
    paper.row(ja_rule, tr_rule)

    paper.heading("heading_bring")
    paper.bullets(paper.list_items("bring"))

    paper.heading("heading_sent")
    paper.para("sent")
    _confirmed(paper, "secrecy")

    paper.heading("heading_after")
    paper.para("breach")
    kinds = {str(o.get("type")) for o in _orders(result)}
    if not (result or {}).get("eligible") or kinds & set(ORDER_TYPES[1:5]):
        paper.para("end_together")  # orders ②-⑤ end with ① (rules.md §9.6)

    paper.heading("heading_prior")
    visits = in_person(consultations if consultations is not None else [intake])
    if visits:
        paper.para("prior_yes", centre=sender.name)
        for visit in visits:
            when = visit.consultation.started_at
            place = visit.consultation.place or sender.name
            if when is None:
                continue
            paper.bullets(
                [
                    (
                        paper.ja.t("prior_place", when=paper.ja.datetime(when), place=place),
                        None
                        if paper.tr is None
                        else paper.tr.t("prior_place", when=paper.tr.datetime(when), place=place),
                    )
                ]
            )
    else:
        paper.para("prior_no", centre=sender.name)

    paper.heading("heading_help")
    paper.para("legal_help")  # the centre and its phone head the paper
    return paper.build()


def _field_pair(paper: ClientPaper, label: str, ja: str, tr: str | None) -> tuple[str, str | None]:
    ja_label, tr_label = paper.texts(label)
    return (
        paper.ja.t("common.field", label=ja_label, value=ja),
        None if paper.tr is None else paper.tr.t("common.field", label=tr_label, value=tr),
    )


def _confirmed(paper: ClientPaper, path: str, **values: object) -> None:
    """A text rules.md marks 要確認, printed with that mark in each column."""
    ja, tr = paper.texts(path, **values)
    paper.row(
        ja + paper.ja.t("common.to_confirm"),
        None if paper.tr is None or tr is None else tr + paper.tr.t("common.to_confirm"),
    )


def _order(paper: ClientPaper, order: Mapping[str, Any], today: dt.date) -> None:
    kind = str(order["type"])
    ja_name, tr_name = paper.texts(f"orders.{kind}.name")
    # the order's name stays with its explanation, like a heading
    mark_heading(paper.row(f"■ {ja_name}", None if tr_name is None else f"■ {tr_name}"))
    paper.para(f"orders.{kind}.text")
    if kind == "contact_ban":
        items = order.get("items")
        if items is None:  # general information: the acts for a decision made today
            items = po_rules.contact_ban_items(today)
        ja_items = paper.ja.table("contact_ban_items")
        tr_items = paper.tr.table("contact_ban_items") if paper.tr is not None else {}
        paper.bullets(
            (
                str(ja_items.get(item, item)),
                None if paper.tr is None else str(tr_items.get(item, item)),
            )
            for item in items
        )
    _duration(paper, order)
    ages = order.get("consent_needed_ages") or []
    if kind in ("child_approach_ban", "child_contact_ban") and ages:
        _confirmed(paper, "child_consent", ages="・".join(str(a) for a in ages))
    if kind == "relative_approach_ban":
        _confirmed(paper, "relative_consent")
    if kind in ("child_approach_ban", "relative_approach_ban"):
        _confirmed(paper, "condition")


def _duration(paper: ClientPaper, order: Mapping[str, Any]) -> None:
    """The period as the result gives it: ②-⑤ last as long as ① (rules.md §8.3)."""
    months = order.get("months")
    if order.get("until") == po_rules.UNTIL_APPROACH_BAN or (
        months is None and order.get("type") not in ("approach_ban", "eviction")
    ):
        paper.para("duration_until")
    elif order.get("type") == "eviction" and months:
        longest = order.get("max_months") or months
        if longest != months:
            paper.para("duration_eviction", months=months, max_months=longest)
        else:
            paper.para("duration_months", months=months)
    elif isinstance(months, int) and months:
        if months % 12 == 0:
            paper.para("duration_years", years=months // 12)
        else:
            paper.para("duration_months", months=months)


def _law_day(result: Mapping[str, Any] | None, today: dt.date) -> dt.date:
    law = (result or {}).get("law_as_of") or {}
    try:
        return dt.date.fromisoformat(str(law.get("as_of")))
    except ValueError:
        return today
