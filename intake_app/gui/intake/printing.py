"""Papers printed from the wizard (issue 6), built in memory by ``intake_app.documents``.

Each button builds the PDF from the answers on screen, the municipality file and the
domain's advice, and opens the print preview. Every print or PDF export the counselor
makes there is recorded with ``store.outputs.paper_recorder(session, kind, case_id,
destination_id)`` (an audit entry). A paper that cannot be produced (for example a
slip without the client's consent) is refused with the documents' Japanese message,
shown next to the button; no preview opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from intake_app.domain.municipality import Municipality
from intake_app.gui import print_preview
from intake_app.gui.intake.widgets import tr
from intake_app.store.outputs import Output

# Builds the PDF from ``intake_app.documents`` (passed in: reportlab loads on the first
# print, not when the wizard opens).
Builder = Callable[[ModuleType], bytes]


class PrintButton(QWidget):
    """A button with the place for its refusal message right next to it."""

    def __init__(self, text: str, accessible_name: str = "") -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(text)
        self.button.setAutoDefault(True)  # Enter on the focused button prints
        self.button.setAccessibleName(accessible_name or text.replace("&", ""))
        self.button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        lay.addWidget(self.button)
        lay.addWidget(self.message, 1)
        lay.addStretch(0)

    def refuse(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.button.setAccessibleDescription(message)


def counselor_name(session: Any) -> str:
    """The logged-in user's 氏名 as official papers print it ("" when not set: the paper is
    then refused with where to set it; a login name is never printed)."""
    user = getattr(session, "user", None)
    return str(getattr(user, "display_name", "") or "").strip()


def official(session: Any, kind: str) -> dict[str, Any]:
    """The ``document_number`` and ``counselor`` arguments of an official paper: the
    文書番号 is taken from the vault's register (``session.settings.next_document_number``,
    audited) only when the paper is made, after its own checks passed."""
    from intake_app.documents.errors import DocumentError
    from intake_app.domain.errors import UserError

    def number() -> str:
        try:
            return str(session.settings.next_document_number(kind))
        except UserError as exc:
            raise DocumentError(exc.message) from None

    return {"document_number": number, "counselor": counselor_name(session)}


def open_paper(
    parent: QWidget,
    municipality: Municipality | None,
    kind: str,
    build: Builder,
    record: Callable[[Output], None],
    *,
    at: PrintButton,
    destination_id: str | None = None,
    title: str = "",
) -> Any:
    """Build the paper and open its preview (parented to ``parent``); ``record(output)``
    runs after every print or PDF export. ``None`` (and the message at ``at``) if refused."""
    at.refuse("")
    if municipality is None:
        at.refuse(tr("市区町村の設定ファイルを読み込めないため、書類を作成できません"))
        return None
    # Deferred on purpose: reportlab and the fonts load on the first print only.
    from intake_app import documents

    try:
        pdf = build(documents)
    except documents.DocumentError as exc:
        at.refuse(exc.message)
        return None

    name = kind if destination_id is None else f"{kind}_{destination_id}"
    return print_preview.show_preview(
        parent,
        pdf,
        title or documents.KINDS[kind],
        record,
        suggested_name=f"{name}_{dt.date.today():%Y%m%d}.pdf",
    )
