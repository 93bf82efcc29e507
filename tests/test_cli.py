"""The command line as an operator meets it: one clear line and an exit code on mistakes."""

from pathlib import Path

import pytest

from bot.cli import main
from tests.support.bot_process import write_config
from tests.support.summit_files import write_summit


@pytest.fixture
def config(tmp_path):
    return write_config(tmp_path, "http://127.0.0.1:9/bot")


def test_import_reports_counts_and_is_idempotent(tmp_path, config, capsys):
    paths = write_summit(tmp_path)
    assert main(["import", "--config", str(config), *paths]) == 0
    out = capsys.readouterr().out
    assert "sessions: 9 added, 0 changed, 0 unchanged" in out
    assert "delegates: 5 added" in out
    assert "attendance: 8 added" in out
    assert main(["import", "--config", str(config), *paths]) == 0
    again = capsys.readouterr().out
    assert "sessions: 0 added, 0 changed, 9 unchanged" in again
    assert "attendance: 0 added, 0 changed, 0 removed, 8 unchanged" in again


def test_a_bad_file_is_rejected_whole_with_line_numbers(tmp_path, config, capsys):
    sessions = tmp_path / "sessions.csv"
    sessions.write_text(
        "id,title,start,end,room\n"
        "a,Fine,2030-06-10T09:00,2030-06-10T10:00,Hall\n"
        "b,Backwards,2030-06-10T11:00,2030-06-10T10:00,Hall\n",
        encoding="utf-8",
    )
    assert main(["import", "--config", str(config), str(sessions)]) == 1
    err = capsys.readouterr().err
    assert f"{sessions}:3:" in err
    assert "nothing was imported" in err
    assert main(["import", "--config", str(config), *write_summit(tmp_path)]) == 0


def test_attendance_naming_unknown_ids_is_rejected(tmp_path, config, capsys):
    attendance = tmp_path / "attendance.csv"
    attendance.write_text("delegate_id,session_id\nghost,nowhere\n", encoding="utf-8")
    assert main(["import", "--config", str(config), str(attendance)]) == 1
    err = capsys.readouterr().err
    assert f"{attendance}:2: unknown delegate 'ghost'" in err
    assert f"{attendance}:2: unknown session 'nowhere'" in err


def test_missing_import_file_is_named(tmp_path, config, capsys):
    assert main(["import", "--config", str(config), str(tmp_path / "nope.csv")]) == 1
    assert "nope.csv: file not found" in capsys.readouterr().err


def test_config_typo_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[summit]\ntimezone = "Asia/Riyadh"\nnmae = "x"\n', encoding="utf-8")
    assert main(["import", "--config", str(path), "x.csv"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"summitbot: {path}: summit.nmae: unknown key — did you mean 'name'?"


def test_config_from_environment_variable(tmp_path, config, capsys, monkeypatch):
    monkeypatch.setenv("SUMMITBOT_CONFIG", str(config))
    assert main(["import", *write_summit(tmp_path)]) == 0


def test_database_that_is_not_sqlite_is_one_line_and_exit_2(tmp_path, config, capsys):
    (tmp_path / "summit.db").write_bytes(b"PK\x03\x04 not a database at all" * 50)
    assert main(["import", "--config", str(config), *write_summit(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "summit.db: is not a SQLite database" in err
    assert "Traceback" not in err


def test_invites_need_a_token(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text("[summit]\nname = 'x'\n", encoding="utf-8")
    assert main(["invites", "--config", str(path)]) == 2
    assert "telegram.token: missing" in capsys.readouterr().err


def test_invites_report_an_unreachable_api(tmp_path, config, capsys):
    assert main(["invites", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "getMe failed" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "sessions", "rooms"),
    [
        ("31c3-schedule.xml", 138, 4),
        ("pretalx-democon.json", 36, None),
        ("frab-camp2019.json", 79, None),
    ],
)
def test_real_published_schedules_import_and_reimport_unchanged(
    tmp_path, config, capsys, name, sessions, rooms
):
    import sqlite3
    from pathlib import Path

    path = Path(__file__).parent / "data" / name
    assert main(["import", "--config", str(config), str(path)]) == 0
    assert f"sessions: {sessions} added" in capsys.readouterr().out
    assert main(["import", "--config", str(config), str(path)]) == 0
    assert f"sessions: 0 added, 0 changed, {sessions} unchanged" in capsys.readouterr().out
    database = sqlite3.connect(tmp_path / "summit.db")
    count, distinct_rooms = database.execute(
        "SELECT COUNT(*), COUNT(DISTINCT room) FROM session"
    ).fetchone()
    audience = {row[0] for row in database.execute("SELECT DISTINCT audience FROM session")}
    database.close()
    assert count == sessions and audience == {"all"}
    if rooms is not None:
        assert distinct_rooms == rooms


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "{config}", "import", "{path}"],
        ["import", "--config", "{config}", "{path}"],
        ["import", "{path}", "--config", "{config}"],
        # Given twice, the one after the subcommand wins (it is closer to what it configures).
        ["--config", "/nowhere.toml", "import", "--config", "{config}", "{path}"],
    ],
)
def test_config_before_or_after_the_subcommand(tmp_path, config, capsys, argv):
    path = write_summit(tmp_path)[0]
    filled = [part.format(config=config, path=path) for part in argv]
    assert main(filled) == 0, capsys.readouterr().err
    assert "added" in capsys.readouterr().out


def test_config_before_the_subcommand_beats_the_environment(tmp_path, config, monkeypatch):
    monkeypatch.setenv("SUMMITBOT_CONFIG", str(tmp_path / "not-this.toml"))
    assert main(["--config", str(config), "import", *write_summit(tmp_path)]) == 0


def test_default_config_is_the_working_directory(tmp_path, config, monkeypatch, capsys):
    monkeypatch.delenv("SUMMITBOT_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert f"{Path('config.toml')}: configuration loaded" in capsys.readouterr().out


def test_version_names_the_parts_an_operator_reports(capsys):
    import sqlite3
    from importlib import metadata

    import bot

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:5] == [
        f"summitbot {bot.__version__}",
        f"python-telegram-bot {metadata.version('python-telegram-bot')}",
        f"aiosqlite {metadata.version('aiosqlite')}",
        f"Babel {metadata.version('Babel')}",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    assert bot.__version__ == metadata.version("summitbot"), "one version, from bot/__init__"


@pytest.mark.parametrize("damage", ["missing", "corrupt", "untranslated"])
def test_run_refuses_to_start_on_an_unusable_catalog(tmp_path, config, capsys, monkeypatch, damage):
    import shutil

    from bot import i18n

    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, locales)
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    po = locales / "fa" / "LC_MESSAGES" / "messages.po"
    if damage == "missing":
        po.unlink()
    elif damage == "corrupt":
        po.write_bytes(b"\xff\xfe" + po.read_bytes()[:5000])  # not UTF-8, cut short
    else:
        text = po.read_text(encoding="utf-8")
        po.write_text(text.replace('msgstr "{start}–{end}"', 'msgstr ""', 1), encoding="utf-8")
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    problem = {"missing": "missing", "corrupt": "does not parse", "untranslated": "incomplete"}
    assert err.startswith(f"summitbot: {po}: {problem[damage]}")
    assert "reinstall summitbot" in err
    assert not (tmp_path / "summit.db").exists(), "nothing may happen before the check"


def test_the_summitbot_entry_point_and_python_m_bot_reach_the_same_main():
    from importlib.metadata import entry_points

    import bot.cli
    import bot.cli.parser

    (script,) = entry_points(group="console_scripts", name="summitbot")
    assert script.value == "bot.cli:main"
    assert script.load() is bot.cli.main is bot.cli.parser.main
    assert sorted(bot.cli.__all__) == ["main", "version_text"]
    source = (Path(bot.cli.__file__).parent.parent / "__main__.py").read_text()
    assert "from bot.cli import main" in source
