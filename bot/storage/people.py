"""Delegates, their Telegram accounts, and invite codes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.domain.invites import Redemption, code_hash, new_code
from bot.domain.models import Delegate, Role
from bot.i18n import negotiate
from bot.storage.database import Database
from bot.storage.programme import from_timestamp, to_timestamp
from bot.storage.rows import from_row


@dataclass(frozen=True, slots=True)
class Account:
    """A Telegram user the bot knows, and the delegate they are (if registered)."""

    user_id: int
    delegate: Delegate | None
    language: str | None
    telegram_language: str | None
    reminder_lead: int | None
    reachable: bool

    def preferred_language(self, default: str, live_code: str | None = None) -> str:
        """Their own choice, then the delegates file, then Telegram's (the code on the
        update being answered if there is one, else the one stored), then the default."""
        file_language = self.delegate.language if self.delegate else None
        return negotiate(
            self.language, file_language, live_code, self.telegram_language, default=default
        )


@dataclass(frozen=True, slots=True)
class RedeemResult:
    outcome: Redemption
    delegate: Delegate | None = None


@dataclass(frozen=True, slots=True)
class InviteRow:
    delegate_id: str
    name: str
    code: str | None
    """None once the delegate has registered (only a hash of their code is kept)."""


_ACCOUNT = """
    SELECT u.user_id, u.language AS chosen_language, u.telegram_language, u.reminder_lead,
           u.reachable, d.id, d.name, d.language, d.role, g.name AS delegation
      FROM telegram_user u
      LEFT JOIN delegate d ON d.id = u.delegate_id
      LEFT JOIN delegation g ON g.id = d.delegation_id
"""


def _delegate(row: sqlite3.Row) -> Delegate | None:
    if row["id"] is None:
        return None
    return from_row(Delegate, row, role=Role(row["role"]))


class PeopleStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def account(self, user_id: int) -> Account | None:
        row = await self._db.fetchone(_ACCOUNT + " WHERE u.user_id = ?", (user_id,))
        if row is None:
            return None
        return Account(
            user_id=row["user_id"],
            delegate=_delegate(row),
            language=row["chosen_language"],
            telegram_language=row["telegram_language"],
            reminder_lead=row["reminder_lead"],
            reachable=bool(row["reachable"]),
        )

    async def redeem(
        self, code: str, user_id: int, telegram_language: str | None, now: datetime
    ) -> RedeemResult:
        """Link `user_id` to the delegate holding `code`, once; see Redemption for outcomes."""
        async with self._db.transaction() as tx:
            invite = await tx.fetchone(
                "SELECT delegate_id, redeemed_at, revoked_at FROM invite WHERE code_hash = ?",
                (code_hash(code),),
            )
            if invite is None:
                return RedeemResult(Redemption.UNKNOWN)
            current = await tx.fetchone(
                "SELECT delegate_id FROM telegram_user WHERE user_id = ?", (user_id,)
            )
            linked_to = current["delegate_id"] if current else None
            if invite["redeemed_at"] is not None or invite["revoked_at"] is not None:
                if linked_to == invite["delegate_id"]:
                    return RedeemResult(Redemption.ALREADY_YOURS, await self.delegate(linked_to))
                return RedeemResult(Redemption.USED)
            if linked_to is not None:
                return RedeemResult(Redemption.OTHER_ACCOUNT, await self.delegate(linked_to))
            moment = to_timestamp(now)
            await tx.execute(
                "UPDATE invite SET code = NULL, redeemed_at = ? WHERE code_hash = ?",
                (moment, code_hash(code)),
            )
            # A delegate has one account: a new registration takes over from an old one.
            await tx.execute(
                "UPDATE telegram_user SET delegate_id = NULL WHERE delegate_id = ?",
                (invite["delegate_id"],),
            )
            await tx.execute(
                """INSERT INTO telegram_user (user_id, delegate_id, telegram_language, linked_at)
                   VALUES (?, ?, ?, ?)
                   ON CONFLICT (user_id) DO UPDATE SET delegate_id = excluded.delegate_id,
                       telegram_language = excluded.telegram_language,
                       linked_at = excluded.linked_at, reachable = 1""",
                (user_id, invite["delegate_id"], telegram_language, moment),
            )
            await tx.execute("DELETE FROM failed_start WHERE user_id = ?", (user_id,))
            return RedeemResult(Redemption.LINKED, await self.delegate(invite["delegate_id"]))

    async def delegate(self, delegate_id: str) -> Delegate | None:
        # Inside a transaction this reads on the same connection, so it sees its writes.
        row = await self._db.fetchone(
            """SELECT d.id, d.name, d.language, d.role, g.name AS delegation
                 FROM delegate d JOIN delegation g ON g.id = d.delegation_id
                WHERE d.id = ?""",
            (delegate_id,),
        )
        return None if row is None else _delegate(row)

    async def record_failed_start(self, user_id: int, now: datetime) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO failed_start (user_id, at) VALUES (?, ?)",
                (user_id, to_timestamp(now)),
            )

    async def failed_starts_since(self, user_id: int, since: datetime) -> list[datetime]:
        rows = await self._db.fetchall(
            "SELECT at FROM failed_start WHERE user_id = ? AND at >= ? ORDER BY at",
            (user_id, to_timestamp(since)),
        )
        return [from_timestamp(row["at"]) for row in rows]

    async def ensure_invites(self, now: datetime) -> list[InviteRow]:
        """Every delegate with their open code, creating codes for those who have none.

        Idempotent: an open code is printed again as it is; a registered delegate's row
        has no code (only its hash is kept).
        """
        async with self._db.transaction() as tx:
            missing = await tx.fetchall(
                """SELECT d.id FROM delegate d
                    WHERE NOT EXISTS (SELECT 1 FROM invite i WHERE i.delegate_id = d.id
                                        AND i.revoked_at IS NULL)"""
            )
            fresh = [(row["id"], new_code()) for row in missing]
            await tx.executemany(
                "INSERT INTO invite (code_hash, delegate_id, code, created_at) VALUES (?, ?, ?, ?)",
                [(code_hash(code), delegate, code, to_timestamp(now)) for delegate, code in fresh],
            )
            rows = await tx.fetchall(
                """SELECT d.id, d.name, i.code FROM delegate d
                     LEFT JOIN invite i ON i.delegate_id = d.id AND i.revoked_at IS NULL
                    ORDER BY d.id"""
            )
        return [InviteRow(row["id"], row["name"], row["code"]) for row in rows]

    async def reissue(self, delegate_id: str, now: datetime) -> str | None:
        """Revoke the delegate's codes, unlink their account and make a new code.

        For a lost phone or a forwarded invitation: whoever held the old code or the old
        account loses access; the old code now reads as used. None if no such delegate.
        """
        async with self._db.transaction() as tx:
            if await tx.fetchone("SELECT 1 FROM delegate WHERE id = ?", (delegate_id,)) is None:
                return None
            moment = to_timestamp(now)
            await tx.execute(
                """UPDATE invite SET code = NULL, revoked_at = ?
                    WHERE delegate_id = ? AND revoked_at IS NULL""",
                (moment, delegate_id),
            )
            await tx.execute(
                "UPDATE telegram_user SET delegate_id = NULL WHERE delegate_id = ?", (delegate_id,)
            )
            # What waits for the revoked account is not sent to it (the outbox worker
            # checks the link too, for anything claimed in between).
            await tx.execute(
                "DELETE FROM outbox WHERE delegate_id = ? AND state = 'waiting'", (delegate_id,)
            )
            code = new_code()
            await tx.execute(
                "INSERT INTO invite (code_hash, delegate_id, code, created_at) VALUES (?, ?, ?, ?)",
                (code_hash(code), delegate_id, code, moment),
            )
        return code

    async def set_language(self, user_id: int, language: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                """INSERT INTO telegram_user (user_id, language) VALUES (?, ?)
                   ON CONFLICT (user_id) DO UPDATE SET language = excluded.language""",
                (user_id, language),
            )

    async def forget(self, user_id: int) -> None:
        """Delete what the bot keeps about this Telegram account (SPEC §5 /forget).

        The delegate's record from the organizers' file stays, so they can register
        again with a new code; the audit log keeps the action but no longer the account.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT delegate_id FROM telegram_user WHERE user_id = ?", (user_id,)
            )
            delegate_id = row["delegate_id"] if row else None
            await tx.execute("DELETE FROM telegram_user WHERE user_id = ?", (user_id,))
            await tx.execute("DELETE FROM outbox WHERE chat_id = ?", (user_id,))
            await tx.execute("DELETE FROM failed_start WHERE user_id = ?", (user_id,))
            await tx.execute(
                """UPDATE broadcast SET organizer_id = 0, progress_chat = NULL,
                          progress_message = NULL WHERE organizer_id = ? OR progress_chat = ?""",
                (user_id, user_id),
            )
            await tx.execute(
                "UPDATE audit SET actor = 'telegram:forgotten' WHERE actor = ?",
                (f"telegram:{user_id}",),
            )
            if delegate_id is not None:
                for table in ("reminder_ledger", "digest_ledger", "acknowledgement"):
                    await tx.execute(f"DELETE FROM {table} WHERE delegate_id = ?", (delegate_id,))
                await tx.execute("DELETE FROM outbox WHERE delegate_id = ?", (delegate_id,))

    async def set_reminder_lead(self, user_id: int, minutes: int) -> None:
        """Minutes before each session; 0 turns reminders off."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE telegram_user SET reminder_lead = ? WHERE user_id = ?", (minutes, user_id)
            )

    async def mark_reachable(self, user_id: int) -> None:
        """They wrote to the bot again after blocking it: deliver to them again."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE telegram_user SET reachable = 1 WHERE user_id = ?", (user_id,))

    async def unreachable_count(self) -> int:
        value = await self._db.fetchvalue(
            "SELECT COUNT(*) FROM telegram_user WHERE reachable = 0 AND delegate_id IS NOT NULL"
        )
        return int(value or 0)

    async def counts(self) -> tuple[int, int]:
        """(registered delegates, all delegates)."""
        row = await self._db.fetchone(
            """SELECT (SELECT COUNT(*) FROM telegram_user WHERE delegate_id IS NOT NULL),
                      (SELECT COUNT(*) FROM delegate)"""
        )
        assert row is not None
        return int(row[0]), int(row[1])
