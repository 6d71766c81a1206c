"""What a supervisor's home screen says about the settings: every setting a paper needs
that is empty or unverified, what the print system keeps of printed papers, and a newer
shipped municipality file waiting to be reviewed. Counselors see nothing of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
MAX_LINES = 40
NOTICE_STYLE = "QLabel { border-left: 4px solid #b06000; padding: 4px 8px; }"
BOX_HEIGHT = 170


def settings_notice_widgets(tr: Callable[[str], str]) -> tuple[Any, Any]:
    """The home screen's label and the scrolling box around it (hidden until needed)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    from intake_app.gui.accessibility import StatusLabel

    label = StatusLabel(tr("書類に必要な設定の確認"), live=False)
    label.setObjectName("settingsNotice")
    label.setWordWrap(True)
    label.setStyleSheet(NOTICE_STYLE)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    box = QScrollArea()
    box.setObjectName("settingsNoticeBox")
    box.setWidgetResizable(True)
    box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    box.setMinimumHeight(120)
    box.setMaximumHeight(BOX_HEIGHT)
    box.setFrameShape(QScrollArea.Shape.NoFrame)
    box.setAccessibleName(tr("書類に必要な設定の確認"))
    box.setWidget(label)
    box.setVisible(False)
    return label, box


def missing_for_papers(session: Any) -> list[Any]:
    """``MissingSetting`` items for every paper kind (the settings and the user's 氏名)."""
    from intake_app.documents import KINDS
    from intake_app.domain.municipality import Municipality
    from intake_app.domain.paper_settings import (
        WHERE_USERS,
        MissingSetting,
        all_missing_settings,
    )

    municipality = session.municipality
    if not isinstance(municipality, Municipality):
        return []
    found = all_missing_settings(municipality, KINDS)
    user = getattr(session, "user", None)
    if user is not None and not str(getattr(user, "display_name", "") or "").strip():
        found.insert(0, MissingSetting("user.display_name", "あなたの氏名", WHERE_USERS))
    return found


def settings_notice_lines(session: Any, tr: Callable[[str], str]) -> list[str]:
    """The lines for a supervisor's home ([] for a counselor, or when all is set)."""
    if getattr(getattr(session, "user", None), "role", None) != "supervisor":
        return []
    lines: list[str] = []
    try:
        missing = missing_for_papers(session)
    except Exception as exc:  # home must open whatever the settings hold
        log.error("missing settings not listed: %s", type(exc).__name__)
        missing = []
    if missing:
        lines.append(
            tr("書類に必要な設定が {} 件、空欄か未確認です（該当する書類は作れません）:").format(
                len(missing)
            )
        )
        # Destinations are counted, not named: home is seen with a client in the room,
        # and a destination's name (the women's shelter …) is not for every client's eyes.
        # The 連絡先 section lists each one.
        destinations = [m for m in missing if m.key.startswith("destinations.")]
        others = [m for m in missing if not m.key.startswith("destinations.")]
        shown = others[:MAX_LINES]
        for item in shown:
            state = tr("未確認") if item.problem == "unverified" else tr("未設定")
            lines.append(tr("・{}（{}）… {}").format(item.label, state, item.where))
        empty = sum(1 for m in destinations if m.problem == "empty")
        unverified = len(destinations) - empty
        if destinations:
            lines.append(
                tr("・連絡先: 連絡方法の空欄 {} か所、未確認 {} か所 … {}").format(
                    empty, unverified, destinations[0].where
                )
            )
        if len(others) > len(shown):
            lines.append(
                tr("・ほか {} 件（管理者メニュー →「設定」で確認できます）").format(
                    len(others) - len(shown)
                )
            )
    try:
        settings = getattr(session, "settings", None)
        offer = settings.shipped_offer() if settings is not None else None
    except Exception as exc:
        log.error("shipped settings not compared: %s", type(exc).__name__)
        offer = None
    if offer is not None and offer.items:
        lines.append(
            tr(
                "新しい版のプログラムの設定ファイルに、まだ取り込んでいない変更が {} 件あります。"
                "管理者メニュー →「設定」→「ファイル・履歴」で確認してください。"
            ).format(len(offer.items))
        )
    try:
        from intake_app.documents.print_system import print_system_warnings

        warnings = print_system_warnings()
    except Exception as exc:
        log.error("print system not checked: %s", type(exc).__name__)
        warnings = []
    if warnings:
        lines.append(tr("印刷システム:"))
        lines.extend("・" + text for text in warnings)
    return lines


def settings_notice_text(session: Any, tr: Callable[[str], str]) -> str:
    """``settings_notice_lines`` as one text ("" when there is nothing to say)."""
    return "\n".join(settings_notice_lines(session, tr))
