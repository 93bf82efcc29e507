"""The bot as operators install it: the wheel, in a virtual environment of its own.

Under `make e2e` the wheel is the one the Makefile built (`python -m build`: the sdist,
then the wheel from it) and installed with the README's deployment steps; its command is
`$SUMMITBOT_BIN`. Run alone (`pytest tests/e2e/test_installed.py`), these tests build and
install it themselves, the same way, into a temporary directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.i18n import SUPPORTED_LANGUAGES
from bot.sandbox.emulator import TelegramEmulator
from tests.e2e.conftest import Summit, launch
from tests.e2e.test_languages import assert_in_language
from tests.support.bot_process import (
    BIN_ENV,
    child_environment,
    neutral_directory,
    summitbot,
    write_config,
)
from tests.support.summit_files import DAY1, summit_files

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT = 600


def run(argv: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        check=False,
        timeout=INSTALL_TIMEOUT,
        env=child_environment(),
        cwd=cwd,
    )


def install_wheel(home: Path) -> Path:
    """`python -m build`, then the README's deployment steps; the installed command."""
    built = run([sys.executable, "-m", "build", "--outdir", str(home / "dist"), str(ROOT)])
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [wheel] = (home / "dist").glob("summitbot-*.whl")
    venv = home / "venv"
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "pip"), "install", "-q", "--require-hashes", "-r", "requirements.lock"],
        [str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(wheel)],
    ]
    for step in steps:
        done = run(step, cwd=ROOT)
        assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin" / "summitbot"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The installed `summitbot` command: make e2e's, else one built here."""
    given = os.environ.get(BIN_ENV)
    command = Path(given) if given else install_wheel(tmp_path_factory.mktemp("wheel"))
    assert command.is_file(), f"{BIN_ENV}={command} does not exist"
    return command


def interpreter(command: Path) -> Path:
    """The Python a console script runs with (its #! line)."""
    first = command.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#!"), first
    return Path(first[2:].strip())


def site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    done = run([str(python), "-c", code], cwd=neutral_directory())
    return Path(done.stdout.strip())


def test_the_installed_package_is_outside_the_source_tree_and_carries_its_catalogs(installed):
    code = "import bot, bot.i18n; print(bot.__file__); print(bot.i18n.LOCALES_DIR)"
    done = run([str(interpreter(installed)), "-c", code], cwd=neutral_directory())
    assert done.returncode == 0, done.stderr
    package_file, locales = map(Path, done.stdout.split())
    package = package_file.parent
    assert ROOT not in package.parents, f"{package} is the source tree, not the wheel"
    assert locales == package / "locales"
    for language in SUPPORTED_LANGUAGES[1:]:
        assert (locales / language / "LC_MESSAGES" / "messages.po").is_file(), language
    assert (locales / "messages.pot").is_file()
    assert (package / "py.typed").is_file()


async def test_the_installed_command_checks_a_good_setup(installed, tmp_path, monkeypatch):
    monkeypatch.setenv(BIN_ENV, str(installed))
    config = write_config(tmp_path, "http://127.0.0.1:9/bot")
    result = await summitbot("--config", str(config), "check")
    assert result.code == 0, result.stderr
    assert "catalogs complete for en ar fr tr fa ur id ru" in result.stdout
    version = await summitbot("--version")
    assert version.code == 0 and version.stdout.startswith("summitbot ")


@pytest.fixture
async def installed_summit(
    installed: Path, tmp_path: Path, emulator: TelegramEmulator, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Summit]:
    monkeypatch.setenv(BIN_ENV, str(installed))
    async with launch(tmp_path, emulator, summit_files(datetime.now(UTC))) as running:
        yield running


@pytest.mark.parametrize("language", ["ar", "fa", "ru"])
async def test_the_installed_bot_answers_help_and_agenda_in_its_script(installed_summit, language):
    alice = await installed_summit.register("alice", language_code=language)
    await alice.send("/help")
    help_text = (await alice.reply()).text
    assert_in_language(language, help_text)
    await alice.send(f"/agenda {DAY1.isoformat()}")
    agenda = (await alice.reply()).text
    assert "Opening plenary" in agenda
    assert_in_language(language, agenda)


def broken_copy(installed: Path, home: Path) -> tuple[Path, Path]:
    """A second installation of the same wheel whose bot/ is a copy we may damage: a venv
    with its own copy of the package, reaching the dependencies through a .pth file."""
    site = site_packages(interpreter(installed))
    venv = home / "venv"
    made = run([str(interpreter(installed)), "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    own_site = site_packages(venv / "bin" / "python")
    for package in ("bot", "handlers"):
        shutil.copytree(site / package, own_site / package)
    (own_site / "installed-dependencies.pth").write_text(f"{site}\n", encoding="utf-8")
    return venv / "bin" / "python", own_site / "bot" / "locales"


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_missing_or_corrupt_catalog_stops_startup_with_one_line(installed, tmp_path, damage):
    python, locales = broken_copy(installed, tmp_path)
    po = locales / "ar" / "LC_MESSAGES" / "messages.po"
    if damage == "missing":
        po.unlink()
    else:
        po.write_bytes(po.read_bytes()[: len(po.read_bytes()) // 2] + b"\nmsgstr \xff\xfe")
    config = write_config(tmp_path, "http://127.0.0.1:9/bot")
    done = run([str(python), "-m", "bot", "run", "--config", str(config)], cwd=neutral_directory())
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    reason = "missing" if damage == "missing" else "does not parse"
    assert line.startswith(f"summitbot: {po}: {reason}"), line
    assert "reinstall summitbot" in line
    assert not (tmp_path / "summit.db").exists()


@pytest.mark.parametrize("command", ["import", "demo"])
def test_import_and_demo_stop_too_and_do_not_hang(installed, tmp_path, command):
    python, locales = broken_copy(installed, tmp_path)
    po = locales / "fa" / "LC_MESSAGES" / "messages.po"
    po.unlink()
    config = write_config(tmp_path, "http://127.0.0.1:9/bot")
    sessions = tmp_path / "sessions.csv"
    sessions.write_text(
        "id,title,start,end,room\na,Opening,2030-06-10T09:00,2030-06-10T10:00,Hall\n",
        encoding="utf-8",
    )
    argv = {
        "import": ["import", "--config", str(config), str(sessions)],
        "demo": ["demo"],
    }[command]
    done = subprocess.run(
        [str(python), "-m", "bot", *argv],
        input=":quit\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,  # a hang (a thread left running) fails here
        env=child_environment(),
        cwd=neutral_directory(),
    )
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"summitbot: {po}: missing — reinstall summitbot"), line
    assert not (tmp_path / "summit.db").exists()
