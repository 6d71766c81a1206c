"""The print-time choices of a paper the client takes home (issue 22).

Before the preview opens, a small dialog asks: the language her copy is printed in
beside the Japanese (the intake's language field chooses the default), and says when
that language's text has not been checked by an interpreter yet; for the appointment
card, the next appointment (the case's next follow-up date by default; empty leaves
a line to fill in by hand); for くらしのメモ, the wording — the neutral one by default,
because words such as 「持ち出すもの」 show the paper's purpose if it is found.
Every control has a linked label with a mnemonic; Enter opens the preview.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.languages import JAPANESE, LANGUAGES, code_for
from intake_app.domain.paper_texts import CentreReview, review_of
from intake_app.gui import lock
from intake_app.gui.intake.widgets import DateEdit, FieldForm, tr

_log = logging.getLogger(__name__)
CARD = "protection_order_advice_discreet"
SAFETY_PLAN = "safety_plan"
NEUTRAL, PLAIN = "neutral", "plain"


@dataclass(frozen=True)
class ClientPaperChoice:
    """What the counselor chose: ``language`` ("ja" or a code), the card's
    ``appointment`` and the safety plan's ``wording``; ``reviews`` are the centre's
    review marks the builders print the review notice from."""

    language: str = JAPANESE
    appointment: dt.datetime | dt.date | None = None
    wording: str = NEUTRAL
    reviews: Mapping[str, CentreReview] = field(default_factory=dict)

    @property
    def code(self) -> str | None:
        """The builders' ``language=`` argument (None: Japanese only)."""
        return None if self.language == JAPANESE else self.language


def default_language(intake: Any) -> str:
    """The code the intake's language field names; Japanese when none we print."""
    text = getattr(getattr(intake, "consultation", None), "language", "") or ""
    return code_for(str(text)) or JAPANESE


def centre_reviews(session: Any) -> dict[str, CentreReview]:
    """The centre's review marks (``store.paper_languages``); none when unreadable (the
    papers then say their translation is unchecked: the safe side)."""
    from intake_app.store.paper_languages import centre_reviews as read

    try:
        return read(session)
    except Exception as exc:  # a failed read must not stop a paper from printing
        _log.warning("review marks unreadable: %s", type(exc).__name__)
        return {}


def review_note(kind: str, code: str, marks: Mapping[str, CentreReview]) -> str:
    """The line the dialog shows under the language."""
    if code == JAPANESE:
        return ""
    state = review_of(kind, code, marks)
    if state.reviewed and state.reviewed_on is not None:
        return tr("通訳者などの確認済みです（{}、{}）。").format(
            state.reviewed_by, state.reviewed_on.isoformat()
        )
    return tr(
        "この言語の文は、まだ通訳者などの確認を受けていません。書類にも、そのことが日本語とこの言語で小さく印刷されます。"
    )


class ClientPaperDialog(QDialog):
    """The choices for one client paper; ``choice()`` after it is accepted."""

    def __init__(
        self,
        parent: QWidget | None,
        kind: str,
        *,
        language: str = JAPANESE,
        reviews: Mapping[str, CentreReview] | None = None,
        appointment: dt.datetime | dt.date | None = None,
        title: str = "",
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.reviews = dict(reviews or {})
        self.setWindowTitle(title or tr("本人に渡す書類"))
        self.setModal(True)
        self.setMinimumWidth(680)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        form = FieldForm()
        layout.addWidget(form)
        self.language = form.row(tr("言語(&L)"), QComboBox())
        self.language.setObjectName("clientPaperLanguage")
        self.language.addItem(tr("日本語のみ"), JAPANESE)
        for lang in LANGUAGES:  # Japanese names: the screen's font has every glyph
            self.language.addItem(tr("日本語と{}").format(lang.name_ja), lang.code)
        index = self.language.findData(language)
        self.language.setCurrentIndex(max(0, index))
        self.review = QLabel()
        self.review.setObjectName("clientPaperReview")
        self.review.setWordWrap(True)
        self.review.setStyleSheet("color: #8a4b00; font-weight: bold;")
        layout.addWidget(self.review)
        self.appointment: DateEdit | None = None
        if kind == CARD:
            self.appointment = form.row(tr("次の予約(&Y)"), DateEdit(with_time=True))
            self.appointment.setObjectName("clientPaperAppointment")
            if isinstance(appointment, dt.datetime):
                self.appointment.setValue(appointment)
            elif isinstance(appointment, dt.date):
                self.appointment.setText(appointment.isoformat())
            hint = QLabel(
                tr(
                    "カードには、題名・次の予約・担当課の名前と電話番号だけが印刷されます。空欄にすると、予約を手で書き込む欄になります（日付だけでもかまいません）。"
                )
            )
            hint.setWordWrap(True)
            layout.addWidget(hint)
        self.neutral: QRadioButton | None = None
        self.plain: QRadioButton | None = None
        if kind == SAFETY_PLAN:
            note = QLabel(
                tr(
                    "「持ち出すもの」「DV相談ナビ」やセンターの名前などの言葉は、メモが見つかったときに目的がわかってしまいます。目立たない言い方では、題名・見出し・連絡先の名前に目的がわかる言葉を使いません。"
                )
            )
            note.setObjectName("safetyPlanWordingNote")
            note.setWordWrap(True)
            layout.addWidget(note)
            self.neutral = QRadioButton(tr("目立たない言い方（おすすめ）(&N)"))
            self.plain = QRadioButton(tr("そのままの言い方(&S)"))
            self.neutral.setChecked(True)
            group = QButtonGroup(self)
            for button in (self.neutral, self.plain):
                group.addButton(button)
                layout.addWidget(button)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("印刷プレビューへ"))
        ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("やめる"))
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.language.currentIndexChanged.connect(self._update_review)
        self._update_review()
        self.language.setFocus()

    def code(self) -> str:
        return str(self.language.currentData() or JAPANESE)

    def _update_review(self) -> None:
        note = review_note(self.kind, self.code(), self.reviews)
        self.review.setText(note)
        self.review.setVisible(bool(note))
        self.language.setAccessibleDescription(note)

    def _ok(self) -> None:
        if self.appointment is not None and self.appointment.input_error():
            self.error.setText(self.appointment.input_error())
            self.error.setVisible(True)
            self.appointment.setFocus()
            return
        self.accept()

    def choice(self) -> ClientPaperChoice:
        appointment = None
        if self.appointment is not None:
            appointment = self.appointment.value()
            if isinstance(appointment, dt.datetime) and ":" not in self.appointment.text():
                appointment = appointment.date()  # a date without a time
        wording = PLAIN if self.plain is not None and self.plain.isChecked() else NEUTRAL
        return ClientPaperChoice(self.code(), appointment, wording, self.reviews)


def ask_client_paper(
    parent: QWidget | None,
    kind: str,
    *,
    language: str = JAPANESE,
    reviews: Mapping[str, CentreReview] | None = None,
    appointment: dt.datetime | dt.date | None = None,
    title: str = "",
) -> ClientPaperChoice | None:
    """Ask the print-time choices of a client paper; None when cancelled or locked."""
    dialog = ClientPaperDialog(
        parent, kind, language=language, reviews=reviews, appointment=appointment, title=title
    )
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    if lock.is_locking():
        return None
    choice = dialog.choice() if accepted else None
    dialog.deleteLater()
    return choice
