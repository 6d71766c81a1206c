"""書類の翻訳の確認: a supervisor marks a language of the client's papers as checked.

One self-contained widget (it can sit in any settings screen; today in the 設定 tab):
every language with its state (not checked yet, checked as shipped, or checked by the
centre: who and when), and for the chosen language 「確認済みにする」 (the interpreter
or organisation that checked it and the date) and 「確認を取り消す」. Each change goes
through ``store.paper_languages`` (supervisors only, one audit entry each). A paper
in a language not checked says so in small print, and the print dialog says so too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.languages import LANGUAGES
from intake_app.domain.paper_texts import PAPERS, review_of
from intake_app.gui.intake.widgets import DateEdit
from intake_app.gui.supervisor.common import tr


class PaperLanguagesBox(QGroupBox):
    """The languages of the client's papers and whether their texts were checked."""

    def __init__(
        self, session: Any, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(tr("本人に渡す書類の翻訳の確認"), parent)
        self.setObjectName("paperLanguages")
        self._session = session
        self._today = today or dt.date.today()
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "本人に渡す書類（保護命令の案内、持ち歩き用カード、くらしのメモ、相談窓口の案内、"
                "紹介と同意の説明）は、日本語と並べて次の言語でも印刷できます。通訳者などが"
                "確認した言語を「確認済み」にすると、書類の「まだ確認を受けていません」の"
                "注記が消えます。プログラムの更新で文面が変わると、確認前に戻ります。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.states = QTableWidget(len(LANGUAGES), 2)
        self.states.setObjectName("paperLanguageStates")
        self.states.setAccessibleName(tr("言語ごとの確認の状態"))
        self.states.setHorizontalHeaderLabels([tr("言語"), tr("確認の状態")])
        self.states.verticalHeader().setVisible(False)
        self.states.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.states.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.states.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.states.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.states.itemSelectionChanged.connect(self._follow_selection)
        layout.addWidget(self.states)
        form = QFormLayout()
        self.language = QComboBox()
        self.language.setObjectName("reviewLanguage")
        for lang in LANGUAGES:
            self.language.addItem(lang.name_ja, lang.code)
        label = QLabel(tr("言語(&G)"))
        label.setBuddy(self.language)
        form.addRow(label, self.language)
        self.reviewer = QLineEdit()
        self.reviewer.setObjectName("reviewer")
        self.reviewer.setAccessibleName(tr("確認した人（通訳者・団体）"))
        label = QLabel(tr("確認した人（通訳者・団体）(&W)"))
        label.setBuddy(self.reviewer)
        form.addRow(label, self.reviewer)
        self.reviewed_on = DateEdit()
        self.reviewed_on.setObjectName("reviewedOn")
        self.reviewed_on.setValue(self._today)
        self.reviewed_on.setAccessibleName(tr("確認した日"))
        label = QLabel(tr("確認した日(&J)"))
        label.setBuddy(self.reviewed_on)
        form.addRow(label, self.reviewed_on)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.mark_button = QPushButton(tr("確認済みにする"))
        self.mark_button.setObjectName("markReviewed")
        self.mark_button.setAccessibleName(tr("選んだ言語の翻訳を確認済みにする"))
        self.mark_button.clicked.connect(self.mark)
        row.addWidget(self.mark_button)
        self.withdraw_button = QPushButton(tr("確認を取り消す"))
        self.withdraw_button.setObjectName("withdrawReview")
        self.withdraw_button.setAccessibleName(tr("選んだ言語の確認済みを取り消す"))
        self.withdraw_button.clicked.connect(self.withdraw)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("paperLanguageStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.refresh()

    def code(self) -> str:
        return str(self.language.currentData())

    def _marks(self) -> dict[str, Any]:
        from intake_app.gui.client_papers import centre_reviews

        return centre_reviews(self._session)

    def state_lines(self) -> list[str]:
        """One line per language: 未確認, or who checked it and when."""
        return [f"{name}: {state}" for name, state in self._states()]

    def _states(self) -> list[tuple[str, str]]:
        marks = self._marks()
        rows = []
        for lang in LANGUAGES:
            states = [review_of(paper, lang.code, marks) for paper in PAPERS]
            if all(s.reviewed for s in states):
                first = states[0]
                how = tr("センターで確認") if first.by_centre else tr("確認済みで配布")
                when = first.reviewed_on.isoformat() if first.reviewed_on else ""
                text = tr("確認済み（{}、{}、{}）").format(first.reviewed_by, when, how)
            elif any(s.reviewed for s in states):
                text = tr("一部の書類だけ確認済み")
            else:
                text = tr("未確認")
            rows.append((lang.name_ja, text))
        return rows

    def refresh(self) -> None:
        for row, (name, state) in enumerate(self._states()):
            self.states.setItem(row, 0, QTableWidgetItem(name))
            self.states.setItem(row, 1, QTableWidgetItem(state))
        self.states.resizeColumnToContents(0)

    def _follow_selection(self) -> None:
        """Choosing a row in the table chooses that language below."""
        rows = {index.row() for index in self.states.selectedIndexes()}
        if len(rows) == 1:
            self.language.setCurrentIndex(rows.pop())

    def mark(self) -> bool:
        """Mark the chosen language as checked (audited); the reason on failure."""
        from intake_app.store.errors import VaultError
        from intake_app.store.paper_languages import mark_reviewed

        day, problem = self.reviewed_on.parsed()
        if problem or not isinstance(day, dt.date):
            self.status.setText(problem or tr("確認した日を入力してください。"))
            self.reviewed_on.setFocus()
            return False
        try:
            mark_reviewed(self._session, self.code(), self.reviewer.text(), day)
        except VaultError as exc:
            self.status.setText(exc.message)
            return False
        self.status.setText(
            tr("{}の翻訳を確認済みにしました。").format(self.language.currentText())
        )
        self.refresh()
        return True

    def withdraw(self) -> bool:
        """Withdraw the centre's mark for the chosen language (audited)."""
        from intake_app.store.errors import VaultError
        from intake_app.store.paper_languages import withdraw_review

        try:
            withdrawn = withdraw_review(self._session, self.code())
        except VaultError as exc:
            self.status.setText(exc.message)
            return False
        self.status.setText(
            tr("{}の確認済みを取り消しました。").format(self.language.currentText())
            if withdrawn
            else tr("{}は、センターでは確認済みにしていません。").format(
                self.language.currentText()
            )
        )
        self.refresh()
        return withdrawn
