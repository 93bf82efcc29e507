from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

GOOD = """
[telegram]
token = "123:ABC"
[storage]
database = "data/summit.db"
[summit]
name = "Test Summit"
timezone = "Asia/Riyadh"
default_language = "fr"
organizers = [42]
[reminders]
lead_minutes = 10
digest_time = ""
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_reads_every_section(tmp_path):
    settings = load_settings(write(tmp_path, GOOD), environ={})
    assert settings.telegram.token == "123:ABC"
    assert settings.storage.database == tmp_path / "data" / "summit.db"
    assert settings.summit.timezone.key == "Asia/Riyadh"
    assert settings.summit.default_language == "fr"
    assert settings.summit.organizers == (42,)
    assert settings.reminders.lead_minutes == 10
    assert settings.reminders.digest_time is None
    assert settings.telegram.file_url == "https://api.telegram.org/file/bot"


def test_environment_token_overrides_file(tmp_path):
    settings = load_settings(write(tmp_path, GOOD), environ={"SUMMITBOT_TOKEN": "9:XYZ"})
    assert settings.telegram.token == "9:XYZ"


def test_file_url_follows_base_url(tmp_path):
    path = write(tmp_path, '[telegram]\ntoken="1:a"\napi_base_url = "http://127.0.0.1:8081/bot"\n')
    assert load_settings(path, environ={}).telegram.file_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[summit]\ntimezone = "Asia/Riyad"', "summit.timezone: unknown timezone 'Asia/Riyad'"),
        (
            '[summit]\ntimezon = "Asia/Riyadh"',
            "summit.timezon: unknown key — did you mean 'timezone'?",
        ),
        ('[sumit]\nname = "x"', "sumit: unknown section — did you mean 'summit'?"),
        ('[reminders]\nlead_minutes = "15"', "reminders.lead_minutes: must be a whole number"),
        ("[reminders]\nlead_minutes = 0", "reminders.lead_minutes: must be between 1 and 240"),
        ('[reminders]\ndigest_time = "7.30am"', "reminders.digest_time: '7.30am' is not a time"),
        ('[summit]\ndefault_language = "xx"', "summit.default_language: unknown language 'xx'"),
        ('[summit]\norganizers = ["bob"]', "summit.organizers[0]: must be a Telegram user id"),
        ("[telegram]\nport = true", "telegram.port: must be a whole number"),
        ('[telegram]\ntoken = "not a token"', "telegram.token: does not look like a bot token"),
        ('[telegram]\nmode = "webhook"', "telegram.webhook_url: required when mode"),
        ("[summit\nname=1", "is not valid TOML"),
    ],
)
def test_each_mistake_is_one_line_naming_file_and_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match=r"file not found — copy config\.example\.toml"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_missing_token_is_reported_when_needed(tmp_path):
    settings = load_settings(write(tmp_path, "[summit]\nname = 'x'\n"), environ={})
    with pytest.raises(ConfigError, match=r"telegram\.token: missing .* SUMMITBOT_TOKEN"):
        settings.require_token()


def test_example_config_is_valid(tmp_path):
    example = (Path(__file__).parent.parent / "config.example.toml").read_text(encoding="utf-8")
    settings = load_settings(write(tmp_path, example), environ={})
    assert settings.summit.timezone.key == "Asia/Riyadh"


def test_a_world_readable_token_is_refused_with_the_chmod_to_run(tmp_path):
    path = write(tmp_path, GOOD)
    path.chmod(0o644)
    with pytest.raises(
        ConfigError, match=r"every user of this machine can read it — run: chmod 600"
    ):
        load_settings(path, environ={})
    path.chmod(0o600)
    assert load_settings(path, environ={}).telegram.token == "123:ABC"


def test_a_world_readable_file_without_a_token_is_fine(tmp_path):
    path = write(tmp_path, "[summit]\nname = 'x'\n")
    path.chmod(0o644)
    assert load_settings(path, environ={}).telegram.token is None


def test_bilateral_and_webapp_sections(tmp_path):
    from bot.config import load_settings

    path = tmp_path / "config.toml"
    path.write_text(
        '[telegram]\ntoken = "1:a"\n[bilaterals]\nhours = "09:00-18:30"\napproval = "organizers"\n'
        'request_expiry_hours = 0.5\n[webapp]\nurl = "https://x.example/app"\nport = 9000\n'
    )
    path.chmod(0o600)
    settings = load_settings(path, environ={})
    assert settings.bilaterals.needs_approval
    assert [t.isoformat() for t in settings.bilaterals.hours] == ["09:00:00", "18:30:00"]
    assert settings.bilaterals.request_expiry_hours == 0.5
    assert settings.webapp.url == "https://x.example/app" and settings.webapp.port == 9000


def test_bilateral_hours_must_be_a_range(tmp_path):
    import pytest

    from bot.config import ConfigError, load_settings

    path = tmp_path / "config.toml"
    path.write_text('[telegram]\ntoken = "1:a"\n[bilaterals]\nhours = "20:00-08:00"\n')
    path.chmod(0o600)
    with pytest.raises(ConfigError, match=r"bilaterals\.hours"):
        load_settings(path, environ={})


def test_programme_source_keys(tmp_path):
    default = load_settings(write(tmp_path, GOOD), environ={})
    assert default.programme.source_url is None
    assert default.programme.poll_minutes == 5.0
    text = GOOD + '[programme]\nsource_url = "https://cfp.example.org/s.xml"\npoll_minutes = 0.05\n'
    settings = load_settings(write(tmp_path, text), environ={})
    assert settings.programme.source_url == "https://cfp.example.org/s.xml"
    assert settings.programme.poll_minutes == 0.05
    off = load_settings(write(tmp_path, GOOD + '[programme]\nsource_url = ""\n'), environ={})
    assert off.programme.source_url is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('source_url = "ftp://x/s.xml"', "programme.source_url: 'ftp://x/s.xml' is not an http(s)"),
        ("poll_minutes = 0.01", "programme.poll_minutes: must be between 0.05"),
        ('poll_minutes = "5"', "programme.poll_minutes: must be a number"),
        ("poll_minute = 5", "programme.poll_minute: unknown key — did you mean 'poll_minutes'?"),
    ],
)
def test_programme_source_mistakes(tmp_path, text, expected):
    path = write(tmp_path, f"[programme]\n{text}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert expected in str(caught.value)


def test_every_name_other_modules_import_from_bot_config_is_there():
    import bot.config

    for name in bot.config.__all__:
        assert hasattr(bot.config, name), name
    assert {"Settings", "load_settings", "ConfigError", "config_path", "TOKEN_ENV"} <= set(
        bot.config.__all__
    )
