"""`summitbot`: run | import | invites | demo | backup | status | audit | check | export | bookings.

Every failure an operator can cause (bad config, unreadable file, a database that is not
SQLite or is locked) ends as one line on stderr naming the file, key or line and what to
do, and a non-zero exit: 2 for configuration and set-up problems, 1 for an import that
was rejected. Never a bare traceback.

`parser` reads the command line and runs one subcommand; `running` starts or checks the
bot, `programme` imports and exports the programme, `operations` holds the operator's
look-ups and chores; `errors` the exit codes.
"""

from bot.cli.parser import main, version_text

__all__ = ["main", "version_text"]
