"""Following a case after the consultation: what the law and the city plan leave the
centre responsible for (issue 18).

- the 支援措置 (rules.md §5, §9.11) must reach every place that shows an address: each
  place of the settings' ``support_measure_places`` is confirmed by whom, when and how;
  a measure ends by a move out, at the client's request, or when its year runs out;
- 追及への対応: every enquiry about a client by someone who may be the perpetrator;
- the court's request for a written report (配偶者暴力防止法第14条第2項), the notice of
  an issued order (第15条第4項) with the orders' end, and a breach the client reported;
- what became of a request for 一時保護 (for a man, the city's 緊急一時避難: rules.md
  §9.9).

Pure: the records as dataclasses, their code lists and Japanese labels, the checks a
record must pass before it is saved (``FieldError``s whose ``field`` is the record's
attribute and whose message starts with the field's name, one sentence), and the
orders' ends. The store keeps the records; the screens show the messages.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from intake_app.domain.court import CourtRequest
from intake_app.domain.japanese import wareki
from intake_app.domain.reasons import Reason
from intake_app.domain.validation import FieldError

# --- code lists -----------------------------------------------------------------------

CheckMethod = Literal["phone", "document", "system"]
CHECK_METHODS: dict[str, str] = {"phone": "電話", "document": "文書", "system": "庁内システム"}

EndReason = Literal["moved_out", "client_request", "expired"]
END_REASONS: dict[str, str] = {
    "moved_out": "転出（この市の支援措置は終わり、転入先で改めて申出）",
    "client_request": "本人の申出による終了",
    "expired": "期間満了（更新の申出なし）",
}

IdentityCheck = Literal["none", "id_document", "callback", "in_person", "other"]
IDENTITY_CHECKS: dict[str, str] = {
    "none": "確認できなかった・していない",
    "id_document": "本人確認書類で確認した",
    "callback": "登録されている番号へ折り返して確認した",
    "in_person": "窓口で対面して確認した",
    "other": "その他（メモに記入）",
}

Answer = Literal["nothing", "partial"]
ANSWERS: dict[str, str] = {
    # what the product suggests: nothing, not even whether she consulted at all
    "nothing": "何も伝えていない（相談の有無も含めて）",
    "partial": "一部を伝えた（伝えた内容を記入）",
}

# A yes/no answer the counselor may not know yet: None is 未確認 (shown on home).
POLICE_TOLD: dict[bool | None, str] = {True: "伝えた", False: "伝えていない", None: "未確認"}

# 第10条: the orders a §15④ notice may name (the codes of rules.md §2.5).
ORDER_TYPES: dict[str, str] = {
    "approach_ban": "①接近禁止命令",
    "contact_ban": "②電話等禁止命令",
    "child_approach_ban": "③子への接近禁止命令",
    "child_contact_ban": "④子への電話等禁止命令",
    "relative_approach_ban": "⑤親族等への接近禁止命令",
    "eviction": "⑥退去等命令",
}
# ②-⑤ last as long as ① (rules.md §8.3) and need it.
WITH_APPROACH_BAN = (
    "contact_ban",
    "child_approach_ban",
    "child_contact_ban",
    "relative_approach_ban",
)
EVICTION_MONTHS = (2, 6)

ShelterRoute = Literal["temporary_protection", "emergency_stay"]
ShelterStatus = Literal["requested", "accepted", "declined", "withdrawn", "unknown"]
SHELTER_STATUSES: dict[str, str] = {
    "requested": "依頼中（結果待ち）",
    "accepted": "受け入れられた（入所）",
    "declined": "受け入れられなかった（理由を記入）",
    "withdrawn": "本人が取りやめた",
    "unknown": "結果の記録なし",
}
# Where she went afterwards: a category, never an address.
AFTERWARDS: dict[str, str] = {
    "returned_home": "元の住まいに戻った",
    "relatives": "親族・知人宅",
    "new_home": "新しい住まい（アパート等）",
    "mother_child_facility": "母子生活支援施設",
    "women_facility": "女性自立支援施設",
    "other_facility": "その他の施設（高齢・障害・医療など）",
    "moved_away": "他の市区町村へ転出",
    "other": "その他",
    "unknown": "不明",
}
# Facilities for women only are not offered for a man's emergency stay.
WOMEN_ONLY_AFTERWARDS = ("mother_child_facility", "women_facility")

MAX_PERSONS = 20
MAX_TEXT = 400  # one line of a counter record, not a case note


def shelter_route(gender: str | None) -> ShelterRoute:
    """A man's request goes to the city's emergency stay; there is no public shelter for
    men (rules.md §4, §9.9)."""
    return "emergency_stay" if gender == "male" else "temporary_protection"


def shelter_topic(route: str) -> str:
    """What the route is called on screen: 一時保護 or, for a man, 緊急一時避難."""
    return "緊急一時避難" if route == "emergency_stay" else "一時保護"


def afterwards_choices(route: str) -> dict[str, str]:
    """The categories offered for ``route`` (a man is not offered the women's facilities)."""
    if route == "emergency_stay":
        return {k: v for k, v in AFTERWARDS.items() if k not in WOMEN_ONLY_AFTERWARDS}
    return dict(AFTERWARDS)


# --- dates ------------------------------------------------------------------------------


def _months_later(day: dt.date, months: int) -> dt.date | None:
    """The same day ``months`` later, or None when that month has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if day.day > calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day.day)


def last_day(start: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` that starts on (and includes) ``start``:
    the day before the corresponding day, or the last day of the month that has none
    (民法第143条)."""
    same = _months_later(start, months)
    if same is not None:
        return same - dt.timedelta(days=1)
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def month_before(day: dt.date) -> dt.date:
    """One month before ``day`` (the last day of that month when it has no such day)."""
    earlier = _months_later(day, -1)
    if earlier is not None:
        return earlier
    prev = day.replace(day=1) - dt.timedelta(days=1)
    return prev


ORDER_RULE = "配偶者暴力防止法第10条（命令の効力が生じた日から数えた目安・要確認）"


def approach_ban_end(issued_on: dt.date) -> dt.date:
    """① lasts one year from the day it took effect; ②-⑤ end with it (第10条、§8.3)."""
    return last_day(issued_on, 12)


def eviction_end(issued_on: dt.date, months: int) -> dt.date:
    """⑥ lasts two months, six when the client alone owns or rents the home (第10条第1項第2号)."""
    return last_day(issued_on, months)


# --- the records ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceConfirmation:
    """One place of a 支援措置's checklist confirmed: when and how (who is the session's
    user, by the 氏名 of the day)."""

    confirmed_on: dt.date | None
    method: str | None
    note: str = ""


@dataclass(frozen=True)
class MeasureEnd:
    """How a 支援措置 ended, and when."""

    ended_on: dt.date | None
    reason: str | None


@dataclass(frozen=True)
class PursuitEntry:
    """追及への対応: one enquiry about the client by someone who may be the perpetrator or
    act for him."""

    asked_at: dt.datetime | None
    counter: str  # the counter or department asked
    asker: str  # who asked, as given
    identity_check: str | None
    identity_note: str = ""
    answer: str | None = "nothing"
    answer_note: str = ""
    police_told: bool | None = None


@dataclass(frozen=True)
class OrderNotice:
    """第15条第4項: the court's notice that an order was issued."""

    notified_on: dt.date | None
    issued_on: dt.date | None
    orders: tuple[str, ...]
    eviction_months: int | None = None
    request_id: int | None = None

    def approach_ends_on(self) -> dt.date | None:
        if self.issued_on is None or "approach_ban" not in self.orders:
            return None
        return approach_ban_end(self.issued_on)

    def eviction_ends_on(self) -> dt.date | None:
        if self.issued_on is None or "eviction" not in self.orders:
            return None
        return eviction_end(self.issued_on, self.eviction_months or 2)

    def ends_on(self) -> dt.date | None:
        ends = [d for d in (self.approach_ends_on(), self.eviction_ends_on()) if d is not None]
        return max(ends) if ends else None


@dataclass(frozen=True)
class Breach:
    """A breach of an order the client reported."""

    occurred_on: dt.date | None
    what: str
    police_told: bool | None = None


@dataclass(frozen=True)
class ShelterOutcome:
    """What became of one request for 一時保護 (a man: the city's 緊急一時避難)."""

    route: str
    requested_on: dt.date | None
    status: str = "requested"
    decided_on: dt.date | None = None
    declined_reason: str = ""
    entered_on: dt.date | None = None
    left_on: dt.date | None = None
    persons: int | None = 1  # the client and the adults with her
    children: int | None = 0  # accompanying children, counted apart
    afterwards: str | None = None


# --- checks -----------------------------------------------------------------------------


class _Found:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.errors: list[FieldError] = []

    def add(self, name: str, message: str) -> None:
        if all(e.field != name for e in self.errors):  # one sentence per field
            self.errors.append(FieldError(name, message))

    def date(
        self,
        name: str,
        label: str,
        value: dt.date | None,
        *,
        required: bool = True,
        not_before: tuple[dt.date | None, str] | None = None,
    ) -> None:
        if value is None:
            if required:
                self.add(name, f"{label}: 日付を入力してください")
            return
        day = value.date() if isinstance(value, dt.datetime) else value
        if day > self.today:
            self.add(name, f"{label}: 未来の日付は入力できません")
        elif not_before is not None and not_before[0] is not None and day < not_before[0]:
            self.add(name, f"{label}: {not_before[1]}（{wareki(not_before[0])}）より前の日付です")

    def text(self, name: str, label: str, value: str, *, required: bool, what: str) -> None:
        if required and not value.strip():
            self.add(name, f"{label}: {what}を入力してください")
        elif len(value) > MAX_TEXT:
            self.add(name, f"{label}: {MAX_TEXT}文字以内で入力してください")

    def choice(self, name: str, label: str, value: object, choices: Sequence[object]) -> None:
        if value not in choices:
            self.add(name, f"{label}: 一覧から選んでください")


def check_confirmation(
    record: PlaceConfirmation, today: dt.date, *, applied_on: dt.date | None = None
) -> list[FieldError]:
    found = _Found(today)
    found.date(
        "confirmed_on", "確認日", record.confirmed_on, not_before=(applied_on, "支援措置の申出日")
    )
    found.choice("method", "確認の方法", record.method, list(CHECK_METHODS))
    found.text("note", "メモ", record.note, required=False, what="メモ")
    return found.errors


def check_end(
    record: MeasureEnd, today: dt.date, *, applied_on: dt.date | None = None
) -> list[FieldError]:
    found = _Found(today)
    found.date("ended_on", "終了日", record.ended_on, not_before=(applied_on, "申出日"))
    found.choice("reason", "終了の理由", record.reason, list(END_REASONS))
    return found.errors


def check_pursuit(record: PursuitEntry, today: dt.date) -> list[FieldError]:
    found = _Found(today)
    found.date("asked_at", "問い合わせの日時", record.asked_at)
    found.text("counter", "窓口・部署", record.counter, required=True, what="受けた窓口か部署")
    found.text(
        "asker",
        "名乗った名前",
        record.asker,
        required=True,
        what="名乗った名前（名乗らなければ「名乗らず」）",
    )
    found.choice("identity_check", "本人確認", record.identity_check, list(IDENTITY_CHECKS))
    found.text(
        "identity_note",
        "本人確認のメモ",
        record.identity_note,
        required=record.identity_check == "other",
        what="どう確認したか",
    )
    found.choice("answer", "回答した内容", record.answer, list(ANSWERS))
    found.text(
        "answer_note",
        "伝えた内容",
        record.answer_note,
        required=record.answer == "partial",
        what="何を伝えたか",
    )
    return found.errors


def check_police(told: bool | None) -> list[FieldError]:
    """The later answer to 「警察へ伝えたか」 on a 追及 record: yes or no, not 未確認."""
    if told is None:
        return [FieldError("police_told", "警察へ伝えたか: 「はい」か「いいえ」を選んでください")]
    return []


def check_request(request: CourtRequest, today: dt.date) -> list[FieldError]:
    """A §14② request: the court, the day it arrived, the letter's date not after it."""
    found = _Found(today)
    found.text("court", "裁判所", request.court, required=True, what="裁判所の名前")
    for name, label, value in (
        ("division", "部・係", request.division),
        ("case_number", "事件番号", request.case_number),
    ):
        found.text(name, label, value, required=False, what=label)
    found.date("requested_on", "照会日", request.requested_on, required=False)
    found.date(
        "received_on",
        "受け取った日",
        request.received_on,
        not_before=(request.requested_on, "照会日"),
    )
    return found.errors


def check_report_sent(
    sent_on: dt.date | None, today: dt.date, *, received_on: dt.date | None = None
) -> list[FieldError]:
    found = _Found(today)
    found.date("sent_on", "書面の送付日", sent_on, not_before=(received_on, "照会を受け取った日"))
    return found.errors


def check_order(notice: OrderNotice, today: dt.date) -> list[FieldError]:
    found = _Found(today)
    found.date(
        "notified_on", "通知を受けた日", notice.notified_on, not_before=(notice.issued_on, "発令日")
    )
    found.date("issued_on", "発令日", notice.issued_on)
    unknown = [o for o in notice.orders if o not in ORDER_TYPES]
    if not notice.orders or unknown:
        found.add("orders", "発令された命令: 一つ以上選んでください")
    elif any(o in WITH_APPROACH_BAN for o in notice.orders) and (
        "approach_ban" not in notice.orders
    ):
        found.add("orders", "発令された命令: ②〜⑤は①接近禁止命令と一緒にだけ発令されます")
    if "eviction" in notice.orders and notice.eviction_months not in EVICTION_MONTHS:
        found.add("eviction_months", "退去等命令の期間: 2か月か6か月を選んでください")
    return found.errors


def check_breach(
    breach: Breach, today: dt.date, *, issued_on: dt.date | None = None
) -> list[FieldError]:
    found = _Found(today)
    found.date(
        "occurred_on", "違反があった日", breach.occurred_on, not_before=(issued_on, "発令日")
    )
    found.text("what", "違反の内容", breach.what, required=True, what="何があったか")
    return found.errors


def check_shelter(outcome: ShelterOutcome, today: dt.date) -> list[FieldError]:
    found = _Found(today)
    topic = shelter_topic(outcome.route)
    found.choice("route", "経路", outcome.route, ["temporary_protection", "emergency_stay"])
    found.date("requested_on", "依頼した日", outcome.requested_on)
    found.choice("status", "結果", outcome.status, list(SHELTER_STATUSES))
    found.date(
        "decided_on",
        "結果が出た日",
        outcome.decided_on,
        required=False,
        not_before=(outcome.requested_on, "依頼した日"),
    )
    if outcome.status == "declined":
        found.text(
            "declined_reason",
            "受け入れられなかった理由",
            outcome.declined_reason,
            required=True,
            what="理由",
        )
    if outcome.status == "accepted":
        found.date(
            "entered_on",
            "入所日",
            outcome.entered_on,
            not_before=(outcome.requested_on, "依頼した日"),
        )
    elif outcome.entered_on is not None:
        found.add("entered_on", f"入所日: {topic}が受け入れられたときだけ入力します")
    if outcome.left_on is not None and outcome.entered_on is None:
        found.add("left_on", "退所日: 入所日を先に入力してください")
    else:
        found.date(
            "left_on",
            "退所日",
            outcome.left_on,
            required=False,
            not_before=(outcome.entered_on, "入所日"),
        )
    if outcome.persons is None or not 1 <= outcome.persons <= MAX_PERSONS:
        found.add("persons", f"人数: 本人を含めて1〜{MAX_PERSONS}の数字で入力してください")
    if outcome.children is None or not 0 <= outcome.children <= MAX_PERSONS:
        found.add("children", f"同伴児童: 0〜{MAX_PERSONS}の数字で入力してください")
    if outcome.afterwards is not None:
        if outcome.left_on is None:
            found.add("afterwards", "退所後の行き先: 退所日を入力してから選んでください")
        elif outcome.afterwards not in afterwards_choices(outcome.route):
            found.add("afterwards", "退所後の行き先: 一覧から選んでください")
    return found.errors


# --- what the records add to the advice -------------------------------------------------


@dataclass(frozen=True)
class PursuitNote:
    """What a follow-up needs to know of the case's 追及 log (no names, no content)."""

    asked_at: dt.datetime
    counter: str


R19 = "R19"
PURSUIT_RULE = "危険度チェックリスト risk-v2 R19（追及の記録）"


def pursuit_reason(notes: Sequence[PursuitNote]) -> Reason | None:
    """The reason a follow-up answers R19 「はい」 and keeps 追及注意: the case's 追及 log."""
    if not notes:
        return None
    latest = max(notes, key=lambda n: n.asked_at)
    when = wareki(latest.asked_at.date())
    return Reason(
        f"このケースには追及の記録が{len(notes)}件あります（最新: {when}、{latest.counter}）。"
        "避難・別居の後も探されているため R19 を「はい」にしています",
        PURSUIT_RULE,
    )


def feed_r19(
    answers: dict[str, bool | None], checklist_version: str, notes: Sequence[PursuitNote]
) -> Reason | None:
    """R19 answered 「はい」 when the case has a 追及 record (``answers`` is changed in
    place); the reason, or None when nothing changed (no record, R19 already 「はい」, or
    a checklist without R19 such as risk-v1). Raising only: never lowers an answer."""
    if not notes or checklist_version == "risk-v1" or answers.get(R19) is True:
        return None
    answers[R19] = True
    return pursuit_reason(notes)


@dataclass(frozen=True)
class Reminder:
    """A date on the home screen: from ``opens`` until ``due`` (inclusive)."""

    opens: dt.date
    due: dt.date

    def shown(self, today: dt.date) -> bool:
        return self.opens <= today <= self.due


def order_reminders(notice: OrderNotice) -> list[tuple[str, Reminder]]:
    """One month before each order's end (① with ②-⑤, and ⑥): (order code, reminder)."""
    out = []
    for code, end in (
        ("approach_ban", notice.approach_ends_on()),
        ("eviction", notice.eviction_ends_on()),
    ):
        if end is not None:
            out.append((code, Reminder(month_before(end), end)))
    return out


def orders_label(orders: Sequence[str]) -> str:
    """The orders of a notice as the case view lists them (①接近禁止命令、②…)."""
    return "、".join(ORDER_TYPES.get(o, o) for o in orders)
