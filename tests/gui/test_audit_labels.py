"""Every action the program writes to the audit log has a Japanese label (issue 19).

The actions are found in the source (the first argument of ``audit``, ``read``,
``transaction``, ``_write``, … and the ``*_ACTION`` constants), so a new action without
a label fails here; a label whose action no longer exists fails too (the list of
calls to look at is then out of date). A real session's log is checked as well.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

from intake_app.gui.supervisor.audit_tab import ACTION_LABELS, AuditTab, action_label
from tests.gui.realistic import fill_records

SOURCE = Path(__file__).resolve().parents[2] / "intake_app"
# the call and the position of its action argument
CALLS = {
    "audit": 0,
    "read": 0,
    "transaction": 0,
    "_write": 0,
    "_change_slots": 0,
    "_on_record": 0,
    "_chain_append_extra": 1,
}
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _literal(node: ast.expr | None) -> str | re.Pattern[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # f"case.{kind}": every label of that form
        if JAPANESE.search(ast.unparse(node)):
            return None  # a prompt (「… のパスフレーズ」), not an action
        pattern = "".join(
            re.escape(v.value) if isinstance(v, ast.Constant) else r"[a-z_]+" for v in node.values
        )
        return re.compile(pattern)
    return None


def emitted_actions() -> tuple[set[str], list[re.Pattern[str]]]:
    """(actions written as literals, patterns of the ones built with an f-string)."""
    literals: set[str] = set()
    patterns: list[re.Pattern[str]] = []

    def add(value: str | re.Pattern[str] | None) -> None:
        if isinstance(value, str):
            if not JAPANESE.search(value):  # a prompt, not an action
                literals.add(value)
        elif value is not None:
            patterns.append(value)

    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCE.rglob("*.py")}
    # module-level constants (A_SEND = "handoff_send"), so an action passed by name counts
    constants: dict[str, str] = {}
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if isinstance(target, ast.Name) and isinstance(value, ast.Constant):
                    if isinstance(value.value, str):
                        constants[target.id] = value.value

    def resolve(node: ast.expr) -> str | re.Pattern[str] | None:
        if isinstance(node, ast.IfExp):  # ACCEPT if wanted else DECLINE: both are written
            add(resolve(node.body))
            return resolve(node.orelse)
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            return constants.get(name)
        return _literal(node)

    for tree in trees.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in CALLS and len(node.args) > CALLS[name]:
                add(resolve(node.args[CALLS[name]]))
            if name == "append" and len(node.args) >= 4:  # chain.append(conn, uid, who, action)
                add(resolve(node.args[3]))
            if name != "add_argument":  # argparse's action= is not an audit action
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        add(resolve(keyword.value))
    for constant, value in constants.items():  # PRINT, DESTROY_ACTION, A_DECLINE …
        if (
            constant.endswith("_ACTION")
            or constant.startswith("A_")
            or constant
            in (
                "PRINT",
                "EXPORT_PDF",
            )
        ):
            add(value)
    return literals, patterns


def test_every_action_in_the_source_has_a_label_and_every_label_an_action():
    literals, patterns = emitted_actions()
    assert "user_disable" in literals and "draft.resume" in literals  # the scan works
    missing = sorted(a for a in literals if a not in ACTION_LABELS)
    assert missing == [], f"audit actions without a Japanese label: {missing}"
    for pattern in patterns:
        assert any(pattern.fullmatch(k) for k in ACTION_LABELS), pattern.pattern
    stale = sorted(
        k for k in ACTION_LABELS if k not in literals and not any(p.fullmatch(k) for p in patterns)
    )
    assert stale == [], f"labels of actions the program no longer writes: {stale}"


def test_labels_are_plain_japanese():
    for action, label in ACTION_LABELS.items():
        assert JAPANESE.search(label), action
        assert action not in label, "the code stays in the CSV, not on screen"


def test_the_audit_tab_shows_labels_and_the_csv_keeps_the_codes(qtbot, session):
    fill_records(session)
    tab = AuditTab(session, today=dt.date.today())
    qtbot.addWidget(tab)
    written = {e.action for e in session.audit_entries(limit=1000)}
    assert written - set(ACTION_LABELS) == set(), "a real session's actions all have labels"
    shown = {tab.table.item(r, 3).text() for r in range(tab.table.rowCount())}
    assert "途中の入力の作成" in shown and "draft.create" not in shown
    assert all(not re.fullmatch(r"[a-z_.]+", text) for text in shown), shown
    items = {tab.action.itemText(i) for i in range(tab.action.count())}
    assert action_label("draft.create") in items
    csv_text = tab.export_bytes().decode("utf-8-sig")
    assert ",draft.create," in csv_text
    assert "途中の入力の作成" not in csv_text
