"""Reading PDFs back for the document tests."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdf

from intake_app import paths
from intake_app.domain.municipality import Centre, Court, Destination, Municipality

TODAY = dt.date(2026, 11, 25)


# The municipality these tests render against: small, with one destination per
# whitelist shape the tests need, built as the domain's own objects.
def _dest(id_: str, name: str, kind: str, fields: list[str], consent: bool = True) -> Destination:
    return Destination(
        id=id_,
        name=name,
        kind=kind,
        fields=tuple(fields),
        contact="",
        consent_required=consent,
        internal=False,
        serves=(),
        note="",
        verified=True,
    )


MUNICIPALITY = Municipality(
    id="mihon",
    name="見本市",
    prefecture="見本県",
    centre=Centre(
        name="見本市配偶者暴力相談支援センター",
        department="市民協働課",
        phone="048-000-0000",
        address="",
        hours="平日 9時～17時",
    ),
    departments=(),
    destinations=(
        _dest(
            "child_dept",
            "子ども未来課",
            "child_department",
            ["client.name", "household.children", "violence.types"],
            consent=False,
        ),
        _dest(
            "pref",
            "県女性相談支援センター",
            "prefectural_centre",
            [
                "client.name",
                "client.kana",
                "client.date_of_birth",
                "client.safe_contact.phone",
                "client.current_whereabouts",
                "household.children",
                "violence.types",
            ],
        ),
        _dest("hellowork", "ハローワーク", "employment", ["client.name", "client.safe_contact"]),
        _dest(
            "residents",
            "市民課",
            "resident_registry",
            ["client.name", "client.kana", "client.address"],
        ),
        _dest(
            "police",
            "警察署",
            "police",
            [
                "client.name",
                "client.kana",
                "client.address",
                "client.current_whereabouts",
                "relationship.perpetrator_name",
                "violence.types",
                "violence.threats",
                "violence.latest_incident",
                "violence.injuries",
            ],
        ),
    ),
    consultation_hours=("平日",),
    retention_years=5,
    backup_reminder_days=7,
    protection_order_court=Court(
        name="見本地方裁判所", address="見本市見本町1-1", phone="", note=""
    ),
)


def reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    """Text of each page, with the spaces the extractor inserts removed."""
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in reader(data).pages]


def all_text(data: bytes) -> str:
    return "".join(page_texts(data))


def metadata_text(data: bytes) -> str:
    meta = reader(data).metadata or {}
    return " ".join(str(meta.get(k, "")) for k in ("/Title", "/Subject", "/Keywords", "/Author"))


def used_fonts(data: bytes) -> list[Any]:
    """Every font object that a page's content stream selects with ``Tf``."""
    fonts = []
    for page in reader(data).pages:
        resources = page["/Resources"].get_object()
        font_map = resources.get("/Font", {}).get_object() if "/Font" in resources else {}
        content = page.get_contents()
        raw = content.get_data().decode("latin-1") if content is not None else ""
        for name in set(re.findall(r"/([A-Za-z0-9+]+)\s+[\d.]+\s+Tf", raw)):
            fonts.append(font_map["/" + name].get_object())
    return fonts


_ALLOWED = tuple(
    str(Path(p).resolve())
    for p in {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        paths.resource(),
        paths.package_dir(),
    }
)
_opened: list[str] | None = None
_hooked = False


def _hook(event: str, args: tuple[object, ...]) -> None:
    if (
        _opened is not None
        and event == "open"
        and args
        and isinstance(args[0], (str, bytes, os.PathLike))
    ):
        _opened.append(os.fsdecode(args[0]))  # type: ignore[arg-type]


@contextmanager
def record_opens() -> Iterator[list[str]]:
    """Collect the paths opened meanwhile (an audit hook cannot be removed: it idles after)."""
    global _opened, _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def outside(opened: list[str]) -> list[str]:
    return [p for p in opened if not str(Path(p).resolve()).startswith(_ALLOWED)]


def two_pages() -> bytes:
    """A Japanese paper of exactly two pages, both full of words (the print tests' page
    ranges and placement measurements)."""
    from intake_app.documents._layout import Metadata, Sheet

    sheet = Sheet(Metadata(title="見本（2ページ）"))
    for page in (1, 2):
        if page == 2:
            sheet.page_break()
        sheet.title(f"見本の書類 {page}ページ目")
        sheet.fields(
            [
                ("作成日", "令和8（2026）年11月25日"),
                ("相談先", "見本市配偶者暴力相談支援センター"),
                ("電話", "048-000-0000"),
            ]
        )
        for n in range(1, 9):
            sheet.heading(f"{n}. 見出し {page}-{n}")
            sheet.para(f"第{page}ページの段落 {n} です。" + "本文の文です。" * 8)
    data = sheet.build()
    assert len(reader(data).pages) == 2
    return data
