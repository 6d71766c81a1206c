"""The official return (報告用集計, rules.md §10): exact counts for government offices.

What a municipal 配偶者暴力相談支援センター reports (内閣府's annual survey of the
centres; 困難女性支援法 reporting to the prefecture). Unlike the public statistics these
are **not** suppressed: they go to government offices, supervisor only, audited, marked
取扱注意. The category lists are the centre's settings (``OfficialReturns``: channel
groups, 通報 sources, 主訴), so a centre whose survey asks otherwise edits data.

Pure: the store hands over one fact per consultation of the fiscal year, the 一時保護
(men: 緊急一時避難) requests, and the court counts; ``official_return`` arranges them
into labelled tables. No risk level is counted: a consultation never assessed is stored
at the checklist's floor 「中」, and nothing here reads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from intake_app.domain.codes import LABELS, UNKNOWN_LABEL
from intake_app.domain.municipality import Category, OfficialReturns

TOTAL = "total"
UNRECORDED = "unrecorded"
RECOMMENDED = ("immediate", "recommend")  # 一時保護の勧めの目安: 直ちに, 勧める
TITLE = "報告用集計"
EXACT_NOTICE = (
    "この集計は秘匿処理をしていない正確な件数です。行政機関への報告のためだけに使い、"
    "取扱注意として扱ってください。"
)


@dataclass(frozen=True)
class ConsultationFact:
    """One consultation of the year as the return counts it (narrow columns only)."""

    kind: str
    gender: str | None
    channel: str | None
    age_group: str | None
    main_complaint: str | None
    report_source: str | None
    shelter_recommendation: str | None
    client_id: int


@dataclass(frozen=True)
class ShelterFact:
    """One request for 一時保護 (``route`` "temporary_protection") or a man's 緊急一時避難
    ("emergency_stay"), with whether it was requested and whether she entered in the year."""

    route: str
    status: str
    requested_in_year: bool
    entered_in_year: bool
    persons: int
    children: int


@dataclass(frozen=True)
class CourtCounts:
    requests_received: int = 0  # 第14条第2項: requests for the written report, by arrival
    reports_sent: int = 0  # reports sent, by the day sent
    order_notices: int = 0  # 第15条第4項: notices of an issued order, by arrival


@dataclass(frozen=True)
class OfficialRow:
    key: str
    label: str
    values: tuple[int | None, ...]  # None: the column does not apply to this row

    def value(self, column: int) -> int | None:
        return self.values[column]


@dataclass(frozen=True)
class OfficialTable:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[OfficialRow, ...]
    note: str = ""

    def row(self, key: str) -> OfficialRow:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


@dataclass(frozen=True)
class OfficialReturn:
    fiscal_year: int
    tables: tuple[OfficialTable, ...]
    notes: tuple[str, ...]

    def table(self, key: str) -> OfficialTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def cell(self, table: str, row: str, column: int = 0) -> int | None:
        return self.table(table).row(row).value(column)


def official_return(
    fiscal_year: int,
    consultations: Iterable[ConsultationFact],
    shelters: Iterable[ShelterFact],
    court: CourtCounts,
    categories: OfficialReturns,
) -> OfficialReturn:
    """The return of ``fiscal_year`` (April–March) in the categories of the settings."""
    facts = list(consultations)
    requests = list(shelters)
    tables = (
        _dv_channels(facts, categories),
        _persons(facts),
        _persons_by(
            facts,
            "age_group",
            "年代別（全相談）",
            list(LABELS["age_group"].items()),
            (None, UNKNOWN_LABEL),
        ),
        _persons_by(
            facts,
            "main_complaint",
            "主訴別（全相談・一つの相談に一つの主訴）",
            _pairs(categories.main_complaints),
            (None, "未記録"),
        ),
        _reports(facts, categories.report_sources),
        _court(court),
        _shelter(facts, requests, "temporary_protection"),
        _shelter(facts, requests, "emergency_stay"),
    )
    return OfficialReturn(fiscal_year, tables, _notes(categories))


def _pairs(categories: Sequence[Category]) -> list[tuple[str, str]]:
    return [(c.id, c.name) for c in categories]


def _dv_channels(facts: Sequence[ConsultationFact], categories: OfficialReturns) -> OfficialTable:
    group_of = {ch: g.id for g in categories.channel_groups for ch in g.channels}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fact in facts:
        if fact.kind != "dv":
            continue
        key = group_of.get(fact.channel, UNRECORDED) if fact.channel else UNRECORDED
        counts[key][0] += 1
        counts[key][1] += int(fact.gender == "male")
    rows = [OfficialRow(g.id, g.name, tuple(counts[g.id])) for g in categories.channel_groups]
    rows.append(OfficialRow(UNRECORDED, "相談方法の記録なし", tuple(counts[UNRECORDED])))
    total = [sum(r.values[i] or 0 for r in rows) for i in range(2)]
    rows.append(OfficialRow(TOTAL, "合計", tuple(total)))
    groups = "、".join(
        f"{g.name}（{'・'.join(LABELS['channel'].get(c, c) for c in g.channels)}）"
        for g in categories.channel_groups
    )
    return OfficialTable(
        "dv_channels",
        "配偶者暴力に関する相談件数（延べ件数）",
        ("件数", "うち男性から"),
        tuple(rows),
        note=f"相談方法の区分: {groups}。",
    )


def _persons(facts: Sequence[ConsultationFact]) -> OfficialTable:
    rows = []
    for kind, label in LABELS["kind"].items():
        mine = [f for f in facts if f.kind == kind]
        rows.append(OfficialRow(kind, label, (len({f.client_id for f in mine}), len(mine))))
    rows.append(OfficialRow(TOTAL, "合計", (len({f.client_id for f in facts}), len(facts))))
    return OfficialTable(
        "persons",
        "相談実人員と延べ件数",
        ("実人員", "延べ件数"),
        tuple(rows),
        note="実人員は年度内に相談のあった人の数です（同じ人の複数の相談は一人）。",
    )


def _persons_by(
    facts: Sequence[ConsultationFact],
    attribute: str,
    title: str,
    known: Sequence[tuple[str, str]],
    missing: tuple[None, str],
) -> OfficialTable:
    clients: dict[str | None, set[int]] = defaultdict(set)
    counts: dict[str | None, int] = defaultdict(int)
    for fact in facts:
        value = getattr(fact, attribute)
        clients[value].add(fact.client_id)
        counts[value] += 1
    keys = [k for k, _ in known]
    rows = [OfficialRow(k, label, (len(clients[k]), counts[k])) for k, label in known]
    # a value the settings no longer list (a category removed later) keeps its own row
    rows += [
        OfficialRow(str(k), f"{k}（設定にない区分）", (len(clients[k]), counts[k]))
        for k in sorted((k for k in counts if k is not None and k not in keys), key=str)
    ]
    rows.append(OfficialRow(UNRECORDED, missing[1], (len(clients[None]), counts[None])))
    rows.append(OfficialRow(TOTAL, "合計", (len({f.client_id for f in facts}), len(facts))))
    return OfficialTable(
        attribute,
        title,
        ("実人員", "延べ件数"),
        tuple(rows),
        note=(
            "実人員は、その区分の相談があった人の数です。年度の途中で区分が変わった人は"
            "両方の区分に数えるため、各区分の実人員の和は合計と一致しないことがあります。"
        ),
    )


def _reports(facts: Sequence[ConsultationFact], sources: Sequence[Category]) -> OfficialTable:
    counts: dict[str, int] = defaultdict(int)
    for fact in facts:
        if fact.report_source is not None:
            counts[fact.report_source] += 1
    ids = [s.id for s in sources]
    rows = [OfficialRow(s.id, s.name, (counts[s.id],)) for s in sources]
    rows += [
        OfficialRow(k, f"{k}（設定にない区分）", (counts[k],))
        for k in sorted(k for k in counts if k not in ids)
    ]
    rows.append(OfficialRow(TOTAL, "合計", (sum(counts.values()),)))
    return OfficialTable("reports", "通報の受理（配偶者暴力防止法第6条）", ("件数",), tuple(rows))


def _court(court: CourtCounts) -> OfficialTable:
    rows = (
        OfficialRow(
            "requests", "書面提出の求め（照会）を受けた（第14条第2項）", (court.requests_received,)
        ),
        OfficialRow("reports", "書面を送付した", (court.reports_sent,)),
        OfficialRow("orders", "保護命令発令の通知を受けた（第15条第4項）", (court.order_notices,)),
    )
    return OfficialTable(
        "court",
        "裁判所との関係（配偶者暴力防止法）",
        ("件数",),
        rows,
        note="照会と通知は受け取った日、書面は送付した日の年度で数えます。",
    )


def _shelter(
    facts: Sequence[ConsultationFact], requests: Sequence[ShelterFact], route: str
) -> OfficialTable:
    men = route == "emergency_stay"
    topic = "緊急一時避難" if men else "一時保護"
    recommended = sum(
        1 for f in facts if f.shelter_recommendation in RECOMMENDED and (f.gender == "male") == men
    )
    mine = [r for r in requests if r.route == route]

    def row(key: str, label: str, chosen: Iterable[ShelterFact]) -> OfficialRow:
        items = list(chosen)
        return OfficialRow(
            key,
            label,
            (len(items), sum(r.persons for r in items), sum(r.children for r in items)),
        )

    asked = [r for r in mine if r.requested_in_year]
    rows = (
        OfficialRow("recommended", f"{topic}を勧めた（相談の件数）", (recommended, None, None)),
        row("requested", f"{topic}を依頼した", asked),
        row("accepted", "うち受け入れられた", (r for r in asked if r.status == "accepted")),
        row("declined", "うち受け入れられなかった", (r for r in asked if r.status == "declined")),
        row("withdrawn", "うち本人が取りやめた", (r for r in asked if r.status == "withdrawn")),
        row(
            "pending",
            "うち結果待ち・結果の記録なし",
            (r for r in asked if r.status in ("requested", "unknown")),
        ),
        row(
            "carried_out",
            f"{topic}を実施した（年度内に入所）",
            (r for r in mine if r.status == "accepted" and r.entered_in_year),
        ),
    )
    if men:
        title = "男性の緊急一時避難（市の事業。一時保護には含めない）"
        note = "男性の相談者は県の女性相談支援センターの対象ではないため、別に数えます。"
    else:
        title = "一時保護（都道府県の女性相談支援センターによる）"
        note = (
            "男性の相談者の緊急一時避難は含めません。勧めたは、勧めの目安が「直ちに」"
            "「勧める」だった相談の数です。人数は本人と同行の大人、同伴児童は別に数えます。"
        )
    return OfficialTable(
        "emergency_stay" if men else "shelter",
        title,
        ("件数", "人数（本人等）", "同伴児童"),
        rows,
        note=note,
    )


def _notes(categories: OfficialReturns) -> tuple[str, ...]:
    return (
        EXACT_NOTICE,
        "年度は4月から翌年3月までです。相談は相談日、依頼は依頼した日の年度で数えます。",
        "危険度は数えていません（危険度を評価していない相談が「中」として保存されていても、"
        "この集計は変わりません）。",
        "主訴の記録がない相談（この項目ができる前の相談など）は「未記録」に数えます。",
    )


def as_mapping(result: OfficialReturn) -> Mapping[str, Mapping[str, tuple[int | None, ...]]]:
    """table key → row key → values (for tests and comparisons)."""
    return {t.key: {r.key: r.values for r in t.rows} for t in result.tables}
