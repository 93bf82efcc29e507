"""The bot's command lists: setMyCommands, getMyCommands and deleteMyCommands.

Stored per scope and language, as Telegram keeps them; the checks are tdlib's
(set_commands) followed by the server's BOT_COMMAND_INVALID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.sandbox.args import JSON, Args, Handler, int_field, string_field
from bot.sandbox.chats import Chats
from bot.sandbox.errors import bad_request
from bot.sandbox.flood_control import FloodControl

MAX_COMMANDS = 100
ScopeKey = tuple[str, int, int, str]
SCOPES = ("default", "all_private_chats", "all_group_chats", "all_chat_administrators")
CHAT_SCOPES = ("chat", "chat_administrators", "chat_member")


def checked_command(command: str, description: str) -> tuple[str, str]:
    """tdlib's set_commands checks, then the server's BOT_COMMAND_INVALID."""
    command = command.strip(" \t\r\n")
    command = command.removeprefix("/")
    if not command:
        raise bad_request("Command must be non-empty")
    if len(command) > 32:
        raise bad_request("Command length must not exceed 32")
    description = description.strip(" \t\r\n")
    if not description:
        raise bad_request("Command description must be non-empty")
    if len(description) > 256:
        raise bad_request("Command description length must not exceed 256")
    if not re.fullmatch(r"[a-z0-9_]+", command):
        raise bad_request("BOT_COMMAND_INVALID")
    return command, description


def _bot_commands(args: Args) -> list[tuple[str, str]]:
    raw = args.json_arg("commands", "Can't parse commands JSON object")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad_request("Expected an Array of BotCommand")
    commands = []
    for item in raw:
        try:
            if not isinstance(item, dict):
                raise ValueError("expected an Object")
            command = string_field(item, "command", required=True)
            description = string_field(item, "description", required=True)
        except ValueError as error:
            raise bad_request(f"Can't parse BotCommand: {error}") from None
        commands.append(checked_command(command, description))
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    return commands


@dataclass
class Commands:
    """The command lists by (scope type, chat id, user id, language)."""

    _chats: Chats
    _flood: FloodControl
    _lists: dict[ScopeKey, list[tuple[str, str]]] = field(default_factory=dict)

    def table(self) -> dict[str, Handler]:
        return {
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
        }

    def for_scope(self, key: ScopeKey) -> list[tuple[str, str]]:
        """What setMyCommands stored for exactly this scope and language."""
        return list(self._lists.get(key, []))

    def _scope_key(self, args: Args) -> ScopeKey:
        language = args.arg("language_code")
        scope = args.json_arg("scope", "Can't parse BotCommandScope JSON object")
        kind, chat_id, user_id = "default", 0, 0
        if scope is not None:
            if not isinstance(scope, dict):
                raise bad_request("Object expected as BotCommandScope")
            try:
                kind = string_field(scope, "type", required=True)
                if kind in CHAT_SCOPES:
                    chat_id = int_field(scope, "chat_id", required=True)
                if kind == "chat_member":
                    user_id = int_field(scope, "user_id", required=True)
            except ValueError as error:
                raise bad_request(f"Can't parse BotCommandScope: {error}") from None
            if kind not in (*SCOPES, *CHAT_SCOPES):
                raise bad_request("Can't parse BotCommandScope: Unsupported type specified")
            if chat_id and not self._chats.knows(chat_id):
                raise bad_request("chat not found")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("Invalid language code specified")
        return kind, chat_id, user_id, language

    async def set_my_commands(self, args: Args) -> bool:
        commands = _bot_commands(args)
        key = self._scope_key(args)
        self._flood.check("setMyCommands")
        if commands:
            self._lists[key] = commands
        else:
            self._lists.pop(key, None)
        return True

    async def get_my_commands(self, args: Args) -> list[JSON]:
        commands = self._lists.get(self._scope_key(args), [])
        return [{"command": c, "description": d} for c, d in commands]

    async def delete_my_commands(self, args: Args) -> bool:
        self._flood.check("deleteMyCommands")
        self._lists.pop(self._scope_key(args), None)
        return True
