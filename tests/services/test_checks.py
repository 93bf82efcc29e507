"""`summitbot check`: a good setup passes; each kind of problem is one line and exit 2."""

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import i18n
from bot.cli import main
from bot.services.checks import check_data_files
from bot.storage.migrations import MIGRATIONS
from tests.support.bot_process import write_config
from tests.support.summit_files import write_summit


@pytest.fixture
def config(tmp_path):
    return write_config(tmp_path, "http://127.0.0.1:9/bot")


@pytest.fixture
def imported(tmp_path, config, capsys):
    """A database made the way an operator makes one: `summitbot import`."""
    paths = write_summit(tmp_path)
    assert main(["import", "--config", str(config), *paths]) == 0
    capsys.readouterr()
    return tmp_path / "summit.db"


def check(config, capsys, *extra):
    code = main(["check", "--config", str(config), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def problems(err):
    return [line for line in err.splitlines() if not line.startswith("summitbot check:")]


def test_a_good_setup_passes(config, imported, capsys):
    code, out, err = check(config, capsys)
    assert (code, err) == (0, "")
    assert f"{imported}: schema version {len(MIGRATIONS)} (current), integrity ok" in out
    assert "catalogs complete for en ar fr tr fa ur id ru" in out
    assert out.rstrip().endswith("summitbot check: all well")


def test_a_missing_database_is_not_a_problem_it_will_be_created(tmp_path, config, capsys):
    code, out, _ = check(config, capsys)
    assert code == 0
    assert f"{tmp_path / 'summit.db'}: does not exist yet" in out
    assert not (tmp_path / "summit.db").exists(), "check must not create the database"


def test_config_problem_missing_token(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[summit]\nname = "x"\n', encoding="utf-8")
    path.chmod(0o600)
    code, _, err = check(path, capsys)
    assert code == 2
    assert problems(err) == [
        f"{path}: telegram.token: missing — put the token from @BotFather there, "
        "or set SUMMITBOT_TOKEN"
    ]


def test_config_problem_bad_key_is_the_loaders_one_line(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[summit]\ntimezone = "Asia/Riyad"\n', encoding="utf-8")
    code, _, err = check(path, capsys)
    assert code == 2
    assert err.count("\n") == 1 and "summit.timezone: unknown timezone 'Asia/Riyad'" in err


def test_database_problem_not_sqlite(config, tmp_path, capsys):
    (tmp_path / "summit.db").write_bytes(b"PK\x03\x04 a zip file, not a database" * 100)
    code, _, err = check(config, capsys)
    assert code == 2
    [line] = problems(err)
    assert line.startswith(f"{tmp_path / 'summit.db'}: is not a usable SQLite database")


def test_database_problem_newer_schema(config, imported, capsys):
    with sqlite3.connect(imported) as database:
        database.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 3}")
    code, _, err = check(config, capsys)
    assert code == 2
    assert problems(err) == [
        f"{imported}: schema version {len(MIGRATIONS) + 3} is newer than this summitbot's "
        f"({len(MIGRATIONS)}) — install the summitbot that made it, or restore a backup"
    ]


def test_database_problem_integrity(config, imported, capsys):
    # An index entry that no longer matches its row: what a torn write leaves behind.
    database = sqlite3.connect(imported)
    database.execute("CREATE TABLE probe (marker TEXT UNIQUE)")
    database.execute("INSERT INTO probe VALUES ('corruption-probe')")
    database.commit()
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    raw = imported.read_bytes()
    at = raw.rfind(b"corruption-probe")
    imported.write_bytes(raw[:at] + b"corruption-proof" + raw[at + 16 :])
    code, _, err = check(config, capsys)
    assert code == 2
    assert problems(err) == [
        f"{imported}: integrity_check failed: row 1 missing from index "
        "sqlite_autoindex_probe_1 — restore a backup"
    ]


def test_an_older_schema_is_a_note_not_a_problem(config, imported, capsys):
    with sqlite3.connect(imported) as database:
        database.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    code, out, _ = check(config, capsys)
    assert code == 0
    assert f"migrates it to {len(MIGRATIONS)} at start-up" in out


def test_database_problem_folder_missing(tmp_path, capsys):
    config = write_config(tmp_path, "http://127.0.0.1:9/bot")
    text = config.read_text().replace('database = "summit.db"', 'database = "nowhere/summit.db"')
    config.write_text(text)
    code, _, err = check(config, capsys)
    assert code == 2
    assert problems(err) == [
        f"{config}: storage.database: the folder {tmp_path / 'nowhere'} does not exist — create it"
    ]


@pytest.fixture
def locales(tmp_path, monkeypatch):
    """A copy of the catalogs the bot reads, to break."""
    copy = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, copy)
    monkeypatch.setattr(i18n, "LOCALES_DIR", copy)
    return copy


def test_catalog_problems_one_line_each(config, locales, capsys):
    fa = locales / "fa" / "LC_MESSAGES" / "messages.po"
    fa.unlink()
    ru = locales / "ru" / "LC_MESSAGES" / "messages.po"
    ru.write_text(ru.read_text(encoding="utf-8") + '\nmsgid "dangling', encoding="utf-8")
    code, out, err = check(config, capsys)
    assert code == 2
    lines = problems(err)
    assert len(lines) == 2
    assert lines[0].startswith(f"{fa}: missing — reinstall summitbot")
    assert lines[1].startswith(f"{ru}: does not parse")
    assert "catalogs complete for en ar fr tr ur id\n" in out


def test_catalog_problem_untranslated_message(config, locales, capsys):
    ar = locales / "ar" / "LC_MESSAGES" / "messages.po"
    text = ar.read_text(encoding="utf-8")
    marker = 'msgid "<b>{time}</b> <s>{title}</s> — cancelled"\nmsgstr "'
    start = text.index(marker) + len(marker)
    ar.write_text(text[:start] + text[text.index('"\n', start) :], encoding="utf-8")
    code, _, err = check(config, capsys)
    assert code == 2
    assert problems(err) == [
        f"{ar}: incomplete: '<b>{{time}}</b> <s>{{title}}</s> — cancelled' is not translated "
        "— translate it (README: Languages and translators), or reinstall summitbot "
        "(pip install --force-reinstall summitbot-*.whl), or in a source checkout restore "
        "locales/ and run `make i18n`"
    ]


def test_data_file_problem_a_path_the_config_names_is_missing(tmp_path):
    # No released key names a data file yet besides the database (checked above); a
    # new path-valued setting, such as a rooms file, is found by walking the settings.
    @dataclass(frozen=True)
    class Rooms:
        file: Path

    @dataclass(frozen=True)
    class FakeSettings:
        path: Path
        rooms: Rooms

    (tmp_path / "here.csv").write_text("room\n")
    settings = FakeSettings(tmp_path / "config.toml", Rooms(tmp_path / "missing.csv"))
    found = [f.text for f in check_data_files(settings)]  # type: ignore[arg-type]
    assert found == [
        f"{tmp_path / 'config.toml'}: rooms.file: {tmp_path / 'missing.csv'} does not exist "
        "— fix the path"
    ]
    present = FakeSettings(tmp_path / "config.toml", Rooms(tmp_path / "here.csv"))
    assert list(check_data_files(present)) == []  # type: ignore[arg-type]


def test_rooms_problem_sessions_in_rooms_the_rooms_file_does_not_know(
    tmp_path, config, imported, capsys
):
    rooms = tmp_path / "rooms.csv"
    rooms.write_text("room,building,floor,capacity\nSomewhere Else,Annex,1,20\n")
    assert main(["import", "--config", str(config), str(rooms)]) == 0
    capsys.readouterr()
    code, _, err = check(config, capsys)
    assert code == 2
    [line] = problems(err)
    assert "sessions are in rooms the rooms file does not know:" in line
    assert "add them to the rooms file" in line


def test_no_rooms_file_is_no_rooms_problem(config, imported, capsys):
    code, _, err = check(config, capsys)
    assert (code, problems(err)) == (0, [])
