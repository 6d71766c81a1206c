"""The 操作マニュアル: the Markdown subset, its anchors, and the PDF a centre prints."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from intake_app.cli import main
from intake_app.documents import manual
from tests.unit.documents.helpers import outside, record_opens

PDFTOTEXT = shutil.which("pdftotext")

# The sections the issue asks for, by the anchors the program and the tests use.
REQUIRED_ANCHORS = [
    "getting-started",
    "training-vault",
    "counselor",
    "unlock",
    "lock",
    "home",
    "search",
    "perpetrator-check",
    "case",
    "intake",
    *(f"intake-step-{n}" for n in range(11)),
    "advice",
    "advice-reasons",
    "law-as-of",
    "printing",
    "consent",
    "follow-up",
    "handoff",
    "handoff-send",
    "handoff-receive",
    "supervisor",
    "supervisor-stats",
    "supervisor-audit",
    "supervisor-users",
    "supervisor-backup",
    "supervisor-retention",
    "supervisor-centres",
    "supervisor-settings",
    "it",
    "limits",
    "lost-passphrase",
    "encryption-limits",
    "advice-limits",
]


def test_every_required_section_has_its_anchor() -> None:
    anchors = manual.load().anchors()
    assert [a for a in REQUIRED_ANCHORS if a not in anchors] == []
    assert len(anchors) == len(set(anchors))


def test_the_subset_parses_each_kind_of_block() -> None:
    text = "\n".join(
        [
            "# 部 {#part}",
            "",
            "一行目と",
            "二行目は一つの段落です。",
            "",
            "- **太字** の項目",
            "- `code` の項目",
            "",
            "1. 最初",
            "2. 次",
            "",
            "| 列1 | 列2 |",
            "|---|---|",
            "| a | b |",
            "",
            "> 注意の文",
            "",
            "![画面](images/x.png)",
            "### 小見出し",
        ]
    )
    blocks = manual.parse(text, "t.md")
    assert [b.kind for b in blocks] == [
        "heading",
        "para",
        "bullets",
        "numbers",
        "table",
        "note",
        "image",
        "heading",
    ]
    assert blocks[0].anchor == "part" and blocks[0].text == "部"
    assert blocks[1].text == "一行目と二行目は一つの段落です。"
    assert blocks[2].items == ("**太字** の項目", "`code` の項目")
    assert blocks[3].items == ("最初", "次")
    assert blocks[4].rows == (("列1", "列2"), ("a", "b"))
    assert blocks[6].src == "images/x.png" and blocks[6].text == "画面"
    assert blocks[7].level == 3 and blocks[7].anchor is None


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.md": "## 見出し\n"}, "{#id} がありません"),
        ({"a.md": "# A {#x}\n", "b.md": "## B {#x}\n"}, "重複しています"),
        ({"a.md": "# A {#a}\n\n| 1 | 2 |\n| 3 | 4 |\n"}, "区切り"),
        ({"a.md": "# A {#a}\n\n| 1 | 2 |\n|---|---|\n| 3 |\n"}, "列の数"),
    ],
)
def test_a_broken_manual_is_refused_naming_the_file(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(manual.ManualError, match=message):
        manual.load(tmp_path)


def test_referenced_images_names_each_picture_of_a_manual(tmp_path: Path) -> None:
    """What the screenshot test compares with the pictures it makes."""
    (tmp_path / "a.md").write_text("# A {#a}\n\n![x](images/gone.png)\n", "utf-8")
    assert manual.referenced_images(manual.load(tmp_path)) == ["gone"]
    assert "case" in manual.referenced_images()


def test_html_has_every_anchor_and_escapes_text(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A {#a}\n\n<script>1 < 2</script> **強調**\n", "utf-8")
    page = manual.to_html(manual.load(tmp_path))
    assert "<a name='a'></a><h1>A</h1>" in page
    assert "&lt;script&gt;1 &lt; 2&lt;/script&gt; <b>強調</b>" in page
    shipped = manual.to_html(manual.load())
    for anchor in REQUIRED_ANCHORS:
        assert f"<a name='{anchor}'>" in shipped


def test_the_pdf_is_built_in_memory_with_the_font_and_images() -> None:
    with record_opens() as opened:
        data = manual.build_pdf()
    assert outside(opened) == []  # only the program's own resources are read
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 15
    fonts = set()
    images = 0
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
        images += len(page.images)
    assert any("IPAexGothic" in f for f in fonts)
    assert not any("Helvetica" in f for f in fonts)
    assert images == len(manual.load().images())  # every picture the manual names
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "相談員の方へ" in outline and "できないこと" in outline


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_command_writes_a_pdf_pdftotext_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "マニュアル.pdf"
    assert main(["manual", "--out", str(out)]) == 0
    assert "操作マニュアルを書き出しました" in capsys.readouterr().out
    assert out.stat().st_mode & 0o777 == 0o600
    text = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-enc", "UTF-8", str(out), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    flat = "".join(text.split())
    for words in (
        "相談記録システム操作マニュアル",
        "目次",
        "はじめての方へ",
        "練習用の保管庫",
        "F12",
        "0安全確認",
        "児童虐待防止法第6条",
        "law_as_of",
        "加害者名で確認",
        "引継ぎファイルを作る",
        "監査ログ",
        "保存期間",
        "install-ja.md",
        "パスフレーズと回復キーを両方なくすと",
        "印刷の控え",
    ):
        assert words in flat, words
    assert list(tmp_path.iterdir()) == [out]  # no temp file left beside it


def test_the_command_refuses_a_folder_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["manual", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("エラー: ") and "フォルダです" in err and "Traceback" not in err
    assert main(["manual", "--out", str(tmp_path / "no" / "m.pdf")]) == 1
    assert "ありません" in capsys.readouterr().err


# Names of buttons and marks the manual quotes: when a screen renames one, the manual
# must follow (this test names the one that is gone).
QUOTED_LABELS = [
    "改ざんがないか検査",
    "この内容で保存する",
    "中断して下書き保存",
    "チェックしたケースを削除…",
    "バックアップを作成…",
    "バックアップから復元…",
    "絞り込んだ記録をCSVで保存…",
    "本人の住所・現在の居場所を連絡票に載せる（確認済み）",
    "続きの相談を入力",
    "他のセンターへ引継ぎ",
    "引継ぎの受け取り",
    "連絡票を印刷",
    "無効にする",
    "PDFとして保存",
    "CSVで保存…",
    "PDFで保存…",
    "持ち歩き用カード（予約と連絡先だけ）",
    "紹介と同意の説明を印刷（本人用）",
    "相談窓口のご案内を印刷",
    "確認済みにする",
    "目立たない言い方（おすすめ）",
    "そのままの言い方",
    "匿名で相談",
    "不明・回答なし",
    "未評価",
    "判断待ち",
    "最も急ぐ通告",
    "練習用の保管庫",
    "他市区町村から引継ぎ",
    "接近禁止命令の期間中",
    "（未確認）",
    "相談記録システム 書類",
    "F1: ヘルプ",
]


def test_the_labels_the_manual_quotes_are_on_the_screens() -> None:
    package = Path(manual.__file__).resolve().parents[1]
    program = "".join(
        p.read_text(encoding="utf-8") for p in package.rglob("*.py") if "manual" not in p.name
    )
    program = program.replace("{}: ヘルプ", "F1: ヘルプ")  # the key's name is a constant
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(manual.manual_dir().glob("*.md")))
    assert [label for label in QUOTED_LABELS if label not in text] == []
    assert [label for label in QUOTED_LABELS if label not in program] == []


def test_every_character_of_the_manual_is_in_the_bundled_font() -> None:
    """The PDF has one font: a character IPAexGothic lacks would print as a box."""
    from reportlab.pdfbase.ttfonts import TTFont

    from intake_app.paths import font_path

    face = TTFont("manual-check", str(font_path())).face
    text = "".join(p.read_text(encoding="utf-8") for p in manual.manual_dir().glob("*.md"))
    missing = sorted({ch for ch in text if ch not in "\n\r\t" and ord(ch) not in face.charToGlyph})
    assert missing == []
    assert ord("ệ") not in face.charToGlyph  # the check can fail: Vietnamese is not in it
