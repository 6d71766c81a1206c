"""Which settings each paper needs, and which of them are empty or unverified.

A paper that needs an empty setting is refused before its preview, with a sentence
naming the setting and where a supervisor fills it, instead of printing 「（未設定）」;
a supervisor's home screen lists every such setting (``all_missing_settings``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from intake_app.domain.municipality import (
    CHILD_NOTIFICATION_KINDS,
    Destination,
    Municipality,
)

WHERE_CENTRE = "管理者メニュー →「設定」→「センター」"
WHERE_DESTINATIONS = "管理者メニュー →「設定」→「連絡先」"
WHERE_USERS = "管理者メニュー →「利用者」"

# The papers that go to an office as the centre's official correspondence: 文書番号,
# the head of the centre as sender, a callback number, the counselor's 氏名.
OFFICIAL_PAPERS = frozenset(
    {
        "referral_slip",
        "shelter_request",
        "court_report",
        "support_measure_opinion",
        "child_notification",
    }
)
# The destination each paper is addressed to, by kind (the referral slip: the one chosen).
ADDRESSEE_KINDS: dict[str, tuple[str, ...]] = {
    "shelter_request": ("prefectural_centre",),
    "support_measure_opinion": ("resident_registry",),
    "child_notification": CHILD_NOTIFICATION_KINDS,
}
_CENTRE_FIELDS: dict[str, str] = {
    "phone": "センターの電話番号",
    "address": "センターの住所",
    "head_title": "差出人（センターの長）の職名",
    "head_name": "差出人（センターの長）の氏名",
    "document_number_format": "文書番号の形式",
}
_OFFICIAL_CENTRE = ("phone", "address", "head_title", "head_name", "document_number_format")
_CLIENT_PAPERS_CENTRE = ("phone",)  # the number the client may call


@dataclass(frozen=True)
class MissingSetting:
    """A setting a paper needs: ``key`` (setting path), ``label`` and ``where`` (Japanese),
    ``problem`` ``"empty"`` (not set) or ``"unverified"`` (set but not confirmed)."""

    key: str
    label: str
    where: str
    problem: str = "empty"

    def sentence(self) -> str:
        """One Japanese sentence for the screen."""
        if self.problem == "unverified":
            return (
                f"{self.label}が確認されていません。{self.where}で確かめて"
                "「確認済み」にしてください。"
            )
        return f"{self.label}が設定されていません。{self.where}で設定してください。"


def _centre(m: Municipality, fields: Iterable[str]) -> list[MissingSetting]:
    found = [
        MissingSetting(f"centre.{key}", _CENTRE_FIELDS[key], WHERE_CENTRE)
        for key in fields
        if not getattr(m.centre, key).strip()
    ]
    if not m.centre.verified:
        found.append(
            MissingSetting(
                "centre.verified", "センターの連絡先・差出人", WHERE_CENTRE, "unverified"
            )
        )
    return found


def _destination(dest: Destination) -> list[MissingSetting]:
    found = []
    if not dest.contact.strip():
        found.append(
            MissingSetting(
                f"destinations.{dest.id}.contact",
                f"連絡先「{dest.name}」の連絡方法",
                WHERE_DESTINATIONS,
            )
        )
    if not dest.verified:
        found.append(
            MissingSetting(
                f"destinations.{dest.id}.verified",
                f"連絡先「{dest.name}」",
                WHERE_DESTINATIONS,
                "unverified",
            )
        )
    return found


def _court(m: Municipality, *, address: bool) -> list[MissingSetting]:
    court = m.protection_order_court
    if court is None:
        return [MissingSetting("protection_order_court", "保護命令の裁判所", WHERE_CENTRE)]
    found = []
    if address:
        for key, text in (("address", "所在地"), ("phone", "電話番号")):
            if not getattr(court, key).strip():
                found.append(
                    MissingSetting(
                        f"protection_order_court.{key}", f"保護命令の裁判所の{text}", WHERE_CENTRE
                    )
                )
    if not court.verified:
        found.append(
            MissingSetting(
                "protection_order_court.verified", "保護命令の裁判所", WHERE_CENTRE, "unverified"
            )
        )
    return found


def missing_settings(
    municipality: Municipality,
    paper_kind: str,
    *,
    destination_id: str | None = None,
    display_name: str | None = None,
) -> list[MissingSetting]:
    """What ``paper_kind`` (a ``documents.KINDS`` id) needs that is empty or unverified.

    ``destination_id``: the referral slip's destination (without it, every destination in
    use is checked). ``display_name``: the counselor's 氏名 when the caller knows it ("" =
    not set; official papers print it). A kind this module does not know is checked as
    an official paper. Empty list: the paper can be made.
    """
    m = municipality
    found: list[MissingSetting] = []
    if paper_kind in ("protection_order_advice_discreet", "safety_plan"):
        found += _centre(m, _CLIENT_PAPERS_CENTRE)
    elif paper_kind == "protection_order_advice":
        found += _centre(m, _CLIENT_PAPERS_CENTRE)
        found += _court(m, address=True)
    else:
        found += _centre(m, _OFFICIAL_CENTRE)
        if display_name is not None and not display_name.strip():
            found.append(MissingSetting("user.display_name", "担当者の氏名", WHERE_USERS))
    if paper_kind == "court_report":
        found += _court(m, address=False)
    if paper_kind == "referral_slip":
        if destination_id is not None:
            try:
                found += _destination(m.destination(destination_id))
            except KeyError:
                found.append(
                    MissingSetting(
                        f"destinations.{destination_id}", "紹介先の連絡先", WHERE_DESTINATIONS
                    )
                )
        else:
            for dest in m.active_destinations:
                found += _destination(dest)
    kinds = ADDRESSEE_KINDS.get(paper_kind)
    if kinds:
        addressees = m.of_kind(*kinds)
        if not addressees:
            found.append(
                MissingSetting(f"destinations.kind.{kinds[0]}", "書類の宛先", WHERE_DESTINATIONS)
            )
        for dest in addressees:
            found += _destination(dest)
    return _unique(found)


def _unique(items: Iterable[MissingSetting]) -> list[MissingSetting]:
    seen: dict[tuple[str, str], MissingSetting] = {}
    for item in items:
        seen.setdefault((item.key, item.problem), item)
    return list(seen.values())


def all_missing_settings(
    municipality: Municipality, paper_kinds: Iterable[str]
) -> list[MissingSetting]:
    """Every setting that any of ``paper_kinds`` needs and that is empty or unverified
    (every destination in use included): the supervisor's list on the home screen."""
    found: list[MissingSetting] = []
    for kind in paper_kinds:
        found += missing_settings(municipality, kind)
    return _unique(found)


def empty_settings(
    municipality: Municipality,
    paper_kind: str,
    *,
    destination_id: str | None = None,
    display_name: str | None = None,
) -> list[MissingSetting]:
    """The settings ``paper_kind`` needs that are empty: what refuses the paper (an
    unverified setting is listed for the supervisor but does not stop a paper)."""
    return [
        item
        for item in missing_settings(
            municipality, paper_kind, destination_id=destination_id, display_name=display_name
        )
        if item.problem == "empty"
    ]


def refusal(missing: Iterable[MissingSetting]) -> str:
    """Why a paper is refused, for the screen: the empty settings of ``missing`` named with
    where a supervisor fills them ("" when none is empty), e.g. 「センターの電話番号と差出人
    （センターの長）の氏名が設定されていません。管理者メニュー →「設定」→「センター」で設定して
    ください。」"""
    groups: dict[str, list[str]] = {}
    for item in missing:
        if item.problem == "empty" and item.label not in groups.get(item.where, []):
            groups.setdefault(item.where, []).append(item.label)
    if not groups:
        return ""
    if len(groups) == 1:
        ((where, labels),) = groups.items()
        return f"{_joined(labels)}が設定されていません。{where}で設定してください。"
    named = "と".join(f"{_joined(labels)}（{where}）" for where, labels in groups.items())
    return f"{named}が設定されていません。管理者に設定を依頼してください。"


def _joined(labels: list[str]) -> str:
    if len(labels) <= 2:
        return "と".join(labels)
    return "、".join(labels[:-1]) + "と" + labels[-1]
