"""Papers from the case view: the §14② court report from in-person consultations only,
the 支援措置 opinion, the child notification record, the protection-order advice and
its discreet variant; each print is an audit entry."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from intake_app.domain.model import Child, ChildNotification, Intake
from intake_app.gui import print_preview
from intake_app.gui.main_window import MainWindow
from intake_app.store import Vault
from intake_app.store.outputs import Output
from tests.gui.fakes import FakeWizard
from tests.gui.helpers import flush, intake
from tests.gui.intake_helpers import blank_phone, complete_settings

PASS = "しずかな朝に川を渡る小舟"
TODAY = dt.date(2026, 11, 25)


def consultation(day: dt.date, channel: str, content: str, **kw: Any) -> Intake:
    item = intake("山田花子", "やまだはなこ", perpetrator="加藤一郎", day=day, **kw)
    item.consultation.channel = channel  # type: ignore[assignment]
    item.consultation.content = content
    item.consultation.measures = f"{content}への助言"
    return item


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    Vault.create(tmp_path, "sato", PASS)
    s = Vault.open(tmp_path, "sato", PASS)
    complete_settings(s, "佐藤 一郎")  # official papers need the centre's settings and a 氏名
    yield s
    s.close()


@pytest.fixture
def cases(session: Any) -> dict[str, int]:
    records = session.records
    first = records.save_intake(
        consultation(dt.date(2026, 9, 3), "visit", "来所ソウダンイチ"),
    )
    records.save_intake(
        consultation(dt.date(2026, 10, 14), "phone", "デンワソウダンニ"), case_id=first.case_id
    )
    last = consultation(
        dt.date(2026, 11, 20),
        "accompanied",
        "同行ソウダンサン",
        support_measure_on=dt.date(2026, 11, 20),
    )
    last.household.children = [Child(name="山田太郎", age=6, lives_with_client=True)]
    last.household.children[0].witnessed_violence = True
    last.household.child_notification = ChildNotification(
        notified_to="子ども家庭課",
        notified_at=dt.datetime(2026, 11, 20, 15, 0),
        method="電話",
    )
    records.save_intake(last, case_id=first.case_id)
    phone_only = records.save_intake(
        consultation(dt.date(2026, 11, 2), "phone", "デンワダケ"),
    )
    return {"mixed": first.case_id, "phone_only": phone_only.case_id}


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []

    def fake_show(
        parent: Any, pdf: bytes, title: str, on_output: Any = None, *, suggested_name: str = ""
    ) -> object:
        shown.append({"pdf": pdf, "title": title, "on_output": on_output, "name": suggested_name})
        return object()

    monkeypatch.setattr(print_preview, "show_preview", fake_show)
    return shown


@pytest.fixture(autouse=True)
def asked(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The client papers' print-time choices: Japanese, neutral wording, the default
    appointment (the dialog itself: test_client_paper_dialog.py)."""
    from intake_app.gui import client_papers

    calls: list[dict[str, Any]] = []

    def fake(parent: Any, kind: str, **kw: Any) -> Any:
        calls.append({"kind": kind, **kw})
        return client_papers.ClientPaperChoice(appointment=kw.get("appointment"))

    monkeypatch.setattr(client_papers, "ask_client_paper", fake)
    return calls


@pytest.fixture
def main(qtbot: Any, configured_app: Any, session: Any) -> Iterator[MainWindow]:
    window = MainWindow(session, wizard_factory=FakeWizard, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.suspend()
    flush()


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def prints(session: Any) -> list[tuple[str, str | None]]:
    with session.read("test.inspect") as conn:
        return [
            tuple(r)
            for r in conn.execute(
                "SELECT action, object_id FROM audit_log WHERE action = 'print' ORDER BY seq"
            )
        ]


def exports(session: Any) -> list[tuple[str, str | None]]:
    with session.read("test.inspect") as conn:
        return [
            tuple(r)
            for r in conn.execute(
                "SELECT action, object_id FROM audit_log WHERE action = 'export_pdf' ORDER BY seq"
            )
        ]


def click(qtbot: Any, main: MainWindow, kind: str) -> None:
    view = main.case_view
    assert view is not None
    qtbot.mouseClick(view.document_buttons[kind], Qt.MouseButton.LeftButton)


def test_court_report_lists_in_person_consultations_only_and_its_print_is_audited(
    qtbot: Any, main: MainWindow, session: Any, cases: dict[str, int], previews: list[Any]
) -> None:
    main.open_case(cases["mixed"])
    click(qtbot, main, "court_report")
    (shown,) = previews
    text = pdf_text(shown["pdf"])
    assert "第14条第2項" in "".join(text.split())
    assert "佐藤 一郎" in text and "蕨市協第1号" in text  # the user's 氏名, the register's number
    for seen in ("9月3日", "11月20日", "来所ソウダンイチ", "同行ソウダンサン"):
        assert seen in text
    for hidden in ("10月14日", "デンワソウダンニ"):
        assert hidden not in text
    assert shown["title"] == "裁判所への書面（第14条第2項）"
    assert prints(session) == []  # opening the preview is not a print
    shown["on_output"](Output("print", "1-2", 3, printer="office-laser", copies=2))
    assert prints(session) == [("print", f"case:{cases['mixed']}:court_report")]
    with session.read("test.inspect") as conn:
        detail = conn.execute(
            "SELECT detail FROM audit_log WHERE action = 'print' ORDER BY seq DESC"
        ).fetchone()[0]
    assert detail == "printer=office-laser; copies=2; pages=1-2/3"
    with session.read("test.inspect") as conn:
        rows = conn.execute("SELECT case_id, kind FROM prints").fetchall()
    assert [(r["case_id"], r["kind"]) for r in rows] == [(cases["mixed"], "court_report")]


def test_a_phone_only_case_gets_a_message_instead_of_a_report(
    qtbot: Any, main: MainWindow, session: Any, cases: dict[str, int], previews: list[Any]
) -> None:
    view = main.open_case(cases["phone_only"])
    click(qtbot, main, "court_report")
    assert previews == []
    assert view.document_message.isVisible()
    assert "来所・同行による相談の記録がありません" in view.document_message.text()
    assert prints(session) == []


def test_opinion_and_notification_buttons_only_where_they_apply(
    main: MainWindow, cases: dict[str, int]
) -> None:
    mixed = set(main.open_case(cases["mixed"]).document_buttons)
    phone_only = set(main.open_case(cases["phone_only"]).document_buttons)
    both = {
        "court_report",
        "protection_order_advice",
        "protection_order_advice_discreet",
        "safety_plan",
        "contacts",
    }
    assert mixed == both | {"support_measure_opinion", "child_notification"}
    assert phone_only == both
    for button in main.case_view.document_buttons.values():  # type: ignore[union-attr]
        assert button.accessibleName()


def test_opinion_notification_and_advice_papers(
    qtbot: Any, main: MainWindow, session: Any, cases: dict[str, int], previews: list[Any]
) -> None:
    from intake_app.documents.samples import sample_municipality

    main.municipality = sample_municipality(main.municipality)  # the centre's phone is set
    main.open_case(cases["mixed"])
    for kind in (
        "support_measure_opinion",
        "child_notification",
        "protection_order_advice",
        "protection_order_advice_discreet",
    ):
        click(qtbot, main, kind)
    opinion, notification, advice, discreet = (pdf_text(p["pdf"]) for p in previews)
    assert "支援措置" in opinion and "山田花子" in opinion
    assert "子ども家庭課" in notification and "山田太郎" in notification
    assert "保護命令" in advice and "さいたま地方裁判所" in advice
    assert "ご予約のメモ" in discreet
    for word in ("DV", "暴力", "配偶者", "保護命令", "裁判所", "センター"):
        assert word not in discreet
    assert "protection" not in previews[3]["name"]  # nor does the suggested file name
    for p in previews:
        p["on_output"](Output("export_pdf", "1", 1))
    assert prints(session) == []  # an export is not a print
    assert [o for _, o in exports(session)] == [
        f"case:{cases['mixed']}:{kind}"
        for kind in (
            "support_measure_opinion",
            "child_notification",
            "protection_order_advice",
            "protection_order_advice_discreet",
        )
    ]


def test_the_main_window_holds_the_loaded_municipality(main: MainWindow, session: Any) -> None:
    from intake_app.domain.municipality import Municipality

    assert session.municipality_id == "warabi"
    assert isinstance(main.municipality, Municipality) and main.municipality.city == "蕨市"
    assert main.municipality == session.municipality  # the settings kept in the vault


def test_without_a_loadable_municipality_papers_are_refused(
    qtbot: Any,
    configured_app: Any,
    session: Any,
    cases: dict[str, int],
    previews: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from intake_app.domain.tomlfile import ConfigError

    def unreadable() -> Any:
        raise ConfigError("設定が読めません")

    monkeypatch.setattr(session.settings, "current", unreadable)
    window = MainWindow(session, wizard_factory=FakeWizard, today=lambda: TODAY)
    qtbot.addWidget(window)
    view = window.open_case(cases["mixed"])
    qtbot.mouseClick(view.document_buttons["court_report"], Qt.MouseButton.LeftButton)
    assert previews == [] and prints(session) == []
    assert "市区町村の設定ファイルを読み込めない" in view.document_message.text()
    window.suspend()
    flush()


def test_client_papers_from_the_case_ask_their_choices_first(
    qtbot: Any,
    main: MainWindow,
    session: Any,
    cases: dict[str, int],
    previews: list[Any],
    asked: list[dict[str, Any]],
) -> None:
    from intake_app.documents.samples import sample_municipality

    case_id = cases["mixed"]
    session.records.add_follow_up(case_id, dt.date(2026, 12, 9), "次回面接")
    session.records.add_follow_up(case_id, dt.date(2026, 11, 1), "過ぎた予定")
    main.municipality = sample_municipality(main.municipality)
    main.open_case(case_id)
    for kind in ("protection_order_advice_discreet", "safety_plan", "contacts"):
        click(qtbot, main, kind)
    assert [a["kind"] for a in asked] == [
        "protection_order_advice_discreet",
        "safety_plan",
        "contacts",
    ]
    assert asked[0]["appointment"] == dt.date(2026, 12, 9)  # the next open follow-up
    card, plan, contacts = (pdf_text(p["pdf"]) for p in previews)
    assert "2026年12月9日" in card
    assert "くらしのメモ" in plan and "#8008" in plan
    assert "相談窓口のご案内" in contacts and "0120-279-889" in contacts


def test_without_the_centres_phone_the_case_says_which_setting_is_missing(
    qtbot: Any,
    main: MainWindow,
    cases: dict[str, int],
    previews: list[Any],
    asked: list[dict[str, Any]],
) -> None:
    blank_phone(main.session)  # as the shipped warabi file leaves it
    main.reload_settings()
    view = main.open_case(cases["mixed"])
    click(qtbot, main, "contacts")
    assert previews == [] and asked == []
    message = view.document_message.text()
    assert "センターの電話番号" in message and "管理者メニュー" in message


def test_cancelling_the_choices_opens_nothing(
    qtbot: Any,
    main: MainWindow,
    session: Any,
    cases: dict[str, int],
    previews: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from intake_app.documents.samples import sample_municipality
    from intake_app.gui import client_papers

    monkeypatch.setattr(client_papers, "ask_client_paper", lambda *a, **k: None)
    main.municipality = sample_municipality(main.municipality)
    view = main.open_case(cases["mixed"])
    click(qtbot, main, "protection_order_advice")
    assert previews == [] and prints(session) == []
    assert not view.document_message.isVisible()


def test_the_court_report_answers_the_request_the_case_records(
    qtbot: Any, main: MainWindow, session: Any, cases: dict[str, int], previews: list[Any]
) -> None:
    import datetime as dt

    from intake_app.domain.court import CourtRequest

    request = CourtRequest(
        "さいたま地方裁判所",
        "民事第4部",
        "令和8年（配チ）第77号",
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 2),
    )
    session.tracking.add_court_request(cases["mixed"], request, today=dt.date(2026, 12, 7))
    main.open_case(cases["mixed"])
    click(qtbot, main, "court_report")
    (shown,) = previews
    text = "".join(pdf_text(shown["pdf"]).split())
    assert "民事第4部" in text and "令和8年（配チ）第77号" in text
    assert "令和8（2026）年11月30日付けで照会" in text
