"""The committed forms match ui/*.ui (regenerate with `make forms`)."""

from __future__ import annotations

from intake_app.gui import forms_build


def test_every_ui_file_has_an_up_to_date_generated_form() -> None:
    ui_files = forms_build.ui_files()
    assert {f.name for f in ui_files} >= {"unlock.ui", "setup_account.ui"}
    stale = []
    for ui_file in ui_files:
        target = forms_build.target_for(ui_file)
        if not target.exists() or target.read_text("utf-8") != forms_build.compile_form(ui_file):
            stale.append(target.name)
    assert stale == [], f"stale generated forms, run `make forms`: {stale}"


def test_generated_forms_say_they_are_generated() -> None:
    for ui_file in forms_build.ui_files():
        head = forms_build.target_for(ui_file).read_text("utf-8")[:200]
        assert head.startswith("# Automatically generated")


def test_a_changed_ui_file_is_detected_as_stale(tmp_path) -> None:
    source = next(f for f in forms_build.ui_files() if f.name == "unlock.ui")
    changed = tmp_path / source.name
    changed.write_text(
        source.read_text("utf-8").replace("相談記録システム", "別の名前", 1), encoding="utf-8"
    )
    target = forms_build.target_for(source).read_text("utf-8")
    assert forms_build.compile_form(changed) != target
