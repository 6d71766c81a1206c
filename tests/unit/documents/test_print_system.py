"""The print system outside the program: lp's arguments and what the local CUPS keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.documents.print_system import (
    LONG_EDGE,
    NEUTRAL_JOB_NAME,
    WINDOWS_REMINDER,
    PrintOptions,
    cups_warnings,
    format_ranges,
    lp_command,
    page_ranges,
    print_system_warnings,
)

DEBIAN_DEFAULT = """LogLevel warn
PageLogFormat
MaxLogSize 0
Listen localhost:631
Browsing No
<Policy default>
  JobPrivateAccess default
  PreserveJobFiles No
</Policy>
"""


def test_every_job_gets_the_neutral_name_and_the_dialogs_choices() -> None:
    args = lp_command(
        PrintOptions(
            "office",
            copies=2,
            page_ranges=((1, 2), (4, 4)),
            sides=LONG_EDGE,
            extra=(("page-set", "odd"), ("job-name", "連絡票"), ("bad key", "x")),
        )
    )
    assert args[:7] == ["lp", "-d", "office", "-t", NEUTRAL_JOB_NAME, "-n", "2"]
    assert args[args.index("-P") + 1] == "1-2,4"
    options = [args[i + 1] for i, a in enumerate(args) if a == "-o"]
    assert "print-scaling=none" in options  # full size, never fitted
    assert "sides=two-sided-long-edge" in options
    assert "media=A4" in options
    assert "collate=true" in options
    assert "document-format=application/pdf" in options
    assert "page-set=odd" in options
    assert not any("連絡票" in a for a in args), "a paper's title never names the job"
    assert not any(a.startswith("bad key") for a in options)
    assert not any(a.endswith(".pdf") for a in args), "the PDF goes on standard input"


def test_one_copy_of_every_page_by_default() -> None:
    args = lp_command(PrintOptions("pdf"))
    assert "-P" not in args and args[args.index("-n") + 1] == "1"
    assert not any(a.startswith("collate") for a in args)


def test_page_ranges() -> None:
    assert page_ranges([4, 1, 2, 2]) == ((1, 2), (4, 4))
    assert format_ranges(page_ranges([1, 2, 3])) == "1-3"
    assert format_ranges(()) == ""


def test_cups_defaults_keep_documents_and_history() -> None:
    warnings = cups_warnings("LogLevel warn\n")
    assert len(warnings) == 2
    assert "PreserveJobFiles No" in warnings[0] and "既定では1日" in warnings[0]
    assert "PreserveJobHistory No" in warnings[1]


def test_a_setting_inside_a_section_does_not_count() -> None:
    warnings = cups_warnings(DEBIAN_DEFAULT)
    assert any("PreserveJobFiles" in w for w in warnings)


@pytest.mark.parametrize("value", ["Yes", "86400", "on"])
def test_kept_for_a_while_is_kept(value: str) -> None:
    text = f"PreserveJobFiles {value}\nPreserveJobHistory No\n"
    (warning,) = cups_warnings(text)
    assert f"PreserveJobFiles: {value}" in warning


def test_nothing_kept_no_warning() -> None:
    text = "# comment\npreservejobfiles No\nPreserveJobHistory Off\n"
    assert cups_warnings(text) == []


def test_the_last_setting_wins() -> None:
    assert cups_warnings("PreserveJobFiles No\nPreserveJobHistory No\nPreserveJobFiles 60\n")


def test_local_configuration_is_read_not_written(tmp_path: Path) -> None:
    conf = tmp_path / "cupsd.conf"
    conf.write_text("PreserveJobFiles No\nPreserveJobHistory Yes\n", encoding="utf-8")
    before = conf.stat().st_mtime_ns
    (warning,) = print_system_warnings(platform="linux", conf_path=conf)
    assert "履歴" in warning and str(conf) in warning
    assert conf.stat().st_mtime_ns == before
    assert print_system_warnings(platform="linux", conf_path=tmp_path / "none") == []
    assert print_system_warnings(platform="win32", conf_path=conf) == [WINDOWS_REMINDER]
    assert "印刷後ドキュメントを残す" in WINDOWS_REMINDER


def test_an_unreadable_configuration_is_said_so(tmp_path: Path) -> None:
    folder = tmp_path / "cupsd.conf"
    folder.mkdir()  # reading a folder fails like an unreadable file
    (warning,) = print_system_warnings(platform="linux", conf_path=folder)
    assert "読めませんでした" in warning
