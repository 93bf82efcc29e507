"""Session-wide: say which `summitbot` the end-to-end tests start (CI's log shows it)."""

from tests.support.bot_process import describe_command


def pytest_report_header() -> list[str]:
    return [describe_command()]
