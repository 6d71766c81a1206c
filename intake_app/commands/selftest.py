"""`intake-app self-test`: one full intake through the real code paths, then clean up.

Creates a vault in a new private temporary folder, exports and re-imports its settings
(the round trip gives the same settings), walks the intake wizard (no
window is shown: Qt runs offscreen), saves an intake and a follow-up, renders
every document kind from what was saved, verifies the vault and its audit chain,
and deletes the folder. Every person in it is invented. Exit 0 only if all held.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from intake_app.domain.errors import UserError

EXIT_OK = 0
EXIT_FAILED = 1


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands to ``sub``."""
    parser = sub.add_parser(
        "self-test",
        help="一時的な保管庫で受付から書類作成・検証までを確認し、終わったら削除する",
        description=(
            "一時的な保管庫を作り、架空の相談を1件受け付けて保存し、すべての種類の書類を作成し、"
            "保管庫と監査ログを検証してから削除します。すべて成功したときだけ終了コード0を返します。"
        ),
    )
    parser.set_defaults(handler=run)


class SelfTest:
    """Runs the checks in order and reports each in one Japanese line."""

    def __init__(self, out: Any = None) -> None:
        self.out = out or sys.stdout
        self.failures: list[str] = []

    def check(self, label: str, fn: Callable[[], Any]) -> Any:
        try:
            result = fn()
        except Exception as exc:  # report, go on with what can still run
            message = exc.message if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
            self.failures.append(label)
            print(f"NG  {label}: {message}", file=self.out, flush=True)
            return None
        print(f"OK  {label}", file=self.out, flush=True)
        return result


def run(args: argparse.Namespace) -> int:
    return run_self_test()


def run_self_test(out: Any = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    t = SelfTest(out)
    # Synthetic data only, inside an encrypted vault in a folder only this user can read.
    folder = Path(tempfile.mkdtemp(prefix="intake-selftest-"))
    os.chmod(folder, 0o700)
    data_dir = folder / "vault"
    session: Any = None
    try:
        session = _walk(t, data_dir)
    finally:
        if session is not None:
            t.check("保管庫を閉じる", session.close)
        shutil.rmtree(folder, ignore_errors=True)
        t.check(
            "一時的な保管庫の削除", lambda: _assert(not folder.exists(), "フォルダが残っています")
        )
    if t.failures:
        print(f"自己診断: 失敗 {len(t.failures)} 件", file=t.out)
        return EXIT_FAILED
    print("自己診断: すべて成功しました", file=t.out)
    return EXIT_OK


def _assert(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _walk(t: SelfTest, data_dir: Path) -> Any:
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    passphrase = secrets.token_urlsafe(24)
    user = "selftest"
    created = t.check(
        "保管庫の作成", lambda: Vault.create(data_dir, user, passphrase, kdf=kdf.FLOOR)
    )
    if created is None:
        return None
    session = t.check("保管庫を開く", lambda: Vault.open(data_dir, user, passphrase))
    if session is None:
        return None

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    previous = qInstallMessageHandler(_qt_message)
    try:
        app = QApplication.instance() or QApplication([])
        return _walk_gui(t, session, app)
    finally:
        qInstallMessageHandler(previous)


def _walk_gui(t: SelfTest, session: Any, app: Any) -> Any:
    from intake_app.domain.municipality import resolve_municipality

    municipality = t.check(
        "保管庫の設定の読み込み", lambda: resolve_municipality(session.municipality)
    )
    t.check("設定の書き出しと読み込み（同じ設定に戻る）", lambda: _settings_round_trip(session))
    saved = t.check("受付（全ステップ）と保存", lambda: _first_intake(app, session, municipality))
    if saved is None:
        return session
    case_id, first = saved
    second = t.check(
        "継続相談とリスクの再評価",
        lambda: _follow_up(app, session, municipality, case_id),
    )
    t.check("下書きの保存と再開", lambda: _draft_round_trip(app, session, municipality))
    t.check(
        "ケースの確認・記録（支援措置の確認先・追及・裁判所・一時保護）",
        lambda: _tracking(session, case_id),
    )
    if second is not None:
        _documents(t, session, municipality, case_id, [first, second])
    t.check("保管庫と監査ログの検証", lambda: _verify(session))
    return session


def _wizard(app: Any, session: Any, municipality: Any, **kwargs: Any) -> Any:
    from intake_app.gui.intake import IntakeWizard

    wizard = IntakeWizard(session, municipality, **kwargs)
    wizard.resize(1200, 850)
    wizard.show()
    app.processEvents()
    return wizard


def _first_intake(app: Any, session: Any, municipality: Any) -> tuple[int, Any]:
    w = _wizard(app, session, municipality)
    now = dt.datetime.now().replace(second=0, microsecond=0)
    p = w.pages
    p[0].safe_now.setValue(False)
    _assert(w.urgent_visible(), "安全確認の「いいえ」で緊急表示が出ません")
    p[0].perpetrator_nearby.setValue(False)
    p[0].injury.setValue(False)
    p[0].children_safe.setValue(True)
    p[1].channel.setValue("visit")
    p[1].consulter.setValue("self")
    p[1].counselor.setText("自己診断")
    p[1].place.setText("相談室")
    p[1].content.setPlainText("（自己診断用の架空の相談）")
    p[1].measures.setPlainText("安全確認と情報提供")
    p[1].main_complaint.setValue("spouse")
    p[2].name.setText("試験 花子")
    p[2].kana.setText("しけん はなこ")
    p[2].gender.setValue("female")
    p[2].age_group.setValue("30s")
    p[2].address.setText("架空市架空町1-2-3")
    p[2].fled.setValue(True)
    p[2].whereabouts.setText("架空の避難先")
    w.go_to(3)
    p[3].add_child.click()
    child = p[3].child_boxes[0]
    child.name.setText("試験 ゆい")
    child.age.setText("6")
    child.lives_with.setValue(True)
    child.witnessed.setValue(True)
    app.processEvents()
    _assert(p[3].notice.isVisible(), "子どもの通告の必須表示が出ません")
    _assert(w.save() is False, "通告を記録せずに保存できてしまいます")
    p[3].notified_to.setEditText("子ども未来課")
    p[3].notified_at.setValue(now - dt.timedelta(minutes=5))
    p[3].method.setValue("電話")
    p[4].rel_type.setValue("legal_spouse")
    p[4].living_together.setValue(True)
    p[4].types["physical"].setValue("repeated")
    p[4].types["psychological"].setValue("repeated")
    p[4].threats["life"].setChecked(True)
    p[4].perp_name.setText("試験 太郎")
    for item in ("R01", "R05", "R12", "R17"):
        p[5].items[item].setValue(True)
    p[6].safe_place.setValue(False)
    p[6].wish.setValue("wishes")
    p[7].mind.setValue(True)
    p[7].body_.setValue(True)
    p[7].intention.setValue("considering")
    p[8].cats["children"].setChecked(True)
    p[8].cats["legal"].setChecked(True)
    for row in list(p[8].rows.values())[:2]:
        row.selected.setChecked(True)
        row.purpose.setText("支援のための連絡")
        row.consent.setChecked(True)
        row.method.setValue("verbal")
        row.consent_at.setValue(now)
    p[9].applied.setChecked(True)
    p[9].applied_on.setValue(now.date())
    p[9].dnd.setChecked(True)
    for step in range(11):
        w.go_to(step)
        app.processEvents()
    _assert(w.urgent_visible(), "緊急表示がまとめのステップで消えています")
    _assert(w.save_draft_now() is not None, "下書きを保存できません")
    problems = w.problems()
    _assert(not problems, "保存前の確認: " + " / ".join(m for _s, m in problems))
    _assert(w.save() is True, "保存できません")
    case_id = int(w.saved_case_id)
    saved = session.records.latest_intake(case_id)
    _assert(saved.client.name == "試験 花子", "保存した氏名が読み出せません")
    _assert(saved.household.child_notification is not None, "通告の記録が保存されていません")
    _assert(len(saved.referrals) == 2, "紹介先が保存されていません")
    _assert(session.records.list_drafts() == [], "保存後に下書きが残っています")
    w.close()
    w.deleteLater()
    return case_id, saved


def _follow_up(app: Any, session: Any, municipality: Any, case_id: int) -> Any:
    w = _wizard(app, session, municipality, case_id=case_id)
    _assert(w.pages[2].name.text() == "試験 花子", "継続相談に前回の内容が入っていません")
    w.pages[0].safe_now.setValue(True)
    w.pages[1].channel.setValue("visit")
    w.pages[5].items["R02"].setValue(True)
    _assert(w.save() is True, "継続相談を保存できません")
    history = [r.final for r in session.records.open_case(case_id).risk_history]
    _assert(history == ["high", "urgent"], f"リスク評価の履歴が正しくありません: {history}")
    w.close()
    w.deleteLater()
    return session.records.latest_intake(case_id)


def _draft_round_trip(app: Any, session: Any, municipality: Any) -> None:
    w = _wizard(app, session, municipality)
    w.pages[2].name.setText("下書き 確認")
    w.go_to(2)
    draft_id = w.save_draft_now()
    _assert(draft_id is not None, "下書きを保存できません")
    w.close()
    w.deleteLater()
    again = _wizard(app, session, municipality, draft_id=draft_id)
    _assert(again.pages[2].name.text() == "下書き 確認", "下書きから再開できません")
    _assert(again.current_step() == 2, "下書きのステップに戻りません")
    session.records.delete_draft(draft_id)
    again.close()
    again.deleteLater()


def _documents(
    t: SelfTest, session: Any, municipality: Any, case_id: int, intakes: list[Any]
) -> None:
    from intake_app import documents
    from intake_app.documents.samples import (
        SampleNumbers,
        sample_consent_referrals,
        sample_municipality,
    )

    today = dt.date.today()
    latest = intakes[-1]
    number = session.records.open_case(case_id).case_number
    # The self-test takes no 文書番号 from the register and prints no real setting: a
    # setting still empty gets the samples' invented value (the real papers refuse it).
    municipality = sample_municipality(municipality)
    client = municipality
    official: dict[str, Any] = {"document_number": SampleNumbers(), "counselor": "自己診断"}
    renders: dict[str, Callable[[], bytes]] = {
        "shelter_request": lambda: documents.shelter_request(
            latest,
            municipality,
            today=today,
            risk_level="urgent",
            case_number=number,
            **official,
        ),
        "protection_order_advice": lambda: documents.protection_order_advice(
            latest, client, today=today, consultations=intakes
        ),
        "protection_order_advice_discreet": lambda: documents.discreet_card(client),
        "court_report": lambda: documents.court_report(
            intakes, municipality, today=today, request=None, **official
        ),
        "support_measure_opinion": lambda: documents.support_measure_opinion(
            latest, municipality, today=today, consultations=intakes, **official
        ),
        "child_notification": lambda: documents.child_notification_record(
            latest, municipality, today=today, **official
        ),
        "safety_plan": lambda: documents.safety_plan(latest, client, today=today),
        "contacts": lambda: documents.contacts(client),
        "consent_explanation": lambda: documents.consent_explanation(
            latest, client, today=today, referrals=sample_consent_referrals(client, today)
        ),
        # every script, Nepali shaped: the fonts and HarfBuzz are in this build
        "contacts:ne": lambda: _shaped(documents.contacts(client, language="ne")),
        "safety_plan:zh": lambda: documents.safety_plan(latest, client, today=today, language="zh"),
        "safety_plan:ko": lambda: documents.safety_plan(latest, client, today=today, language="ko"),
        "safety_plan:vi": lambda: documents.safety_plan(latest, client, today=today, language="vi"),
    }
    for ref in latest.referrals:
        renders[f"referral_slip:{ref.destination_id}"] = functools.partial(
            documents.referral_slip,
            latest,
            municipality,
            ref,
            today=today,
            case_number=number,
            **official,
        )
    # the statistics report, counted from this vault's consultations
    renders["stats_report"] = lambda: _stats_report(session, today)
    missing = set(documents.KINDS) - {k.split(":")[0] for k in renders}
    t.check(
        "書類の種類の網羅",
        lambda: _assert(not missing, "作成していない書類: " + "、".join(sorted(missing))),
    )
    for kind, render in renders.items():
        base, _sep, dest = kind.partition(":")
        label = documents.KINDS.get(base, base) + (f"（{dest}）" if dest else "")
        t.check(f"書類の作成: {label}", _pdf_check(render))
    t.check("書類の作成: 報告用集計（取扱注意）", _pdf_check(lambda: _official(session, today)))


def _official(session: Any, today: dt.date) -> bytes:
    """The official return of this fiscal year: exact counts, with the 主訴 just saved."""
    from intake_app.documents.official_return import render_official_return
    from intake_app.domain.japanese import fiscal_year

    returns = session.official_returns
    result = returns.year(fiscal_year(today))
    _assert(
        (result.cell("main_complaint", "spouse", 1) or 0) > 0,
        "報告用集計に保存した主訴が入っていません",
    )
    return render_official_return(result, centre=returns.centre_name(), created_on=today)


def _tracking(session: Any, case_id: int) -> None:
    """Each record of the case view's 確認・記録 tab through its dialog, and home's lines."""
    from intake_app.gui.case_tracking import (
        CourtRequestDialog,
        OrderDialog,
        PlaceDialog,
        PursuitDialog,
        ReportSentDialog,
        ShelterDialog,
    )

    today = dt.date.today()
    measure = session.tracking.case(case_id).measure
    _assert(measure is not None and bool(measure.checks), "支援措置の確認先の一覧がありません")
    place = PlaceDialog(session, measure.checks[0])
    place.submit()
    _assert(bool(place.errors_shown()), "確認の方法がないのに記録できました")
    place.method.setValue("system")
    place.submit()
    pursuit = PursuitDialog(session, case_id)
    pursuit.counter.setText("自己診断の窓口")
    pursuit.asker.setText("名乗らず")
    pursuit.identity_check.setValue("none")
    pursuit.submit()
    request = CourtRequestDialog(session, case_id)
    request.court.setText("自己診断地方裁判所")
    request.submit()
    court = session.tracking.case(case_id).latest_request
    _assert(court is not None, "裁判所からの照会が保存されていません")
    sent = ReportSentDialog(session, court)
    sent.submit()
    order = OrderDialog(session, case_id)
    order.issued_on.setValue(today)
    order.order_boxes["approach_ban"].setChecked(True)
    order.submit()
    shelter = ShelterDialog(session, case_id, "female")
    shelter.submit()
    for dialog in (place, pursuit, request, sent, order, shelter):
        _assert(
            dialog.result() == dialog.DialogCode.Accepted,
            f"{dialog.windowTitle()}: {dialog.errors_shown()}",
        )
        dialog.deleteLater()
    done = session.tracking.case(case_id)
    _assert(done.measure is not None and done.measure.checks[0].confirmed, "確認が残っていません")
    _assert(len(done.pursuits) == 1 and len(done.court_orders) == 1, "記録が残っていません")
    kinds = {i.kind for i in session.records.home(today).tracking if i.case_id == case_id}
    _assert(
        {"measure_unconfirmed", "shelter_pending"} <= kinds,
        "ホームの確認・期限に未確認の確認先と依頼が出ていません",
    )
    _assert(session.records.open_case(case_id).do_not_disclose, "追及注意が付いていません")


def _shaped(pdf: bytes) -> bytes:
    """``pdf`` when this build shapes complex scripts (HarfBuzz is importable)."""
    from intake_app.documents._fonts import shaping_available

    _assert(shaping_available(), "ネパール語の組版（uharfbuzz）が使えません")
    return pdf


def _stats_report(session: Any, today: dt.date) -> bytes:
    """The supervisor's statistics report of this fiscal year, from the same vault."""
    from intake_app.documents.stats_report import render_stats_report
    from intake_app.domain.japanese import fiscal_year
    from intake_app.domain.statistics.publication import publish

    published = publish(session.stats.year(fiscal_year(today)))
    _assert(published.stats.total.total > 0, "統計に今年度の相談が入っていません")
    return render_stats_report(published, centre=session.stats.centre_name(), created_on=today)


def _pdf_check(render: Callable[[], bytes]) -> Callable[[], None]:
    return lambda: _pdf(render())


def _qt_message(mode: Any, context: Any, message: str) -> None:
    if "propagateSizeHints" in message:  # the offscreen platform's harmless notice
        return
    print(message, file=sys.stderr)


def _pdf(data: bytes) -> None:
    _assert(data.startswith(b"%PDF-") and len(data) > 1000, "PDFになっていません")


def _settings_round_trip(session: Any) -> None:
    """Export the vault's settings, import them back (nothing changes), import an edited
    copy (exactly that setting changes), and see a broken copy refused with its line."""
    from intake_app.domain.tomlfile import ConfigError

    settings = session.settings
    before, version = session.municipality, settings.version()
    text = settings.export_text()
    _assert(settings.import_text(text, "selftest.toml") == [], "読み込み直すと設定が変わります")
    _assert(session.municipality == before, "読み込み直した設定が元と違います")
    days = before.backup_reminder_days
    edited = text.replace(f"backup_reminder_days = {days}", f"backup_reminder_days = {days + 1}")
    changed = [d.path for d in settings.import_text(edited, "selftest.toml")]
    _assert(changed == ["backup_reminder_days"], f"変えた設定の記録が違います: {changed}")
    _assert(settings.version() == version + 1, "設定の版が増えていません")
    try:
        settings.import_text(edited.replace("backup_reminder_days = ", "backup_reminder_days = x"))
    except ConfigError as exc:
        _assert(exc.line is not None, "誤りの行が示されません")
    else:
        raise AssertionError("誤りのある設定ファイルを受け付けました")
    _assert(settings.version() == version + 1, "誤りのある設定ファイルで設定が変わりました")
    _assert(settings.import_text(text, "selftest.toml") != [], "元の設定に戻せません")
    _assert(session.municipality == before, "元の設定に戻りません")


def _verify(session: Any) -> None:
    report = session.verify()
    _assert(bool(report.ok), "検証で問題: " + " / ".join(getattr(report, "problems", [])))
