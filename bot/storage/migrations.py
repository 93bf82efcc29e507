"""The schema, as an ordered list of migrations.

`PRAGMA user_version` holds how many have been applied; the database applies the rest in
order at start-up, each in its own transaction with its version bump. Never edit a
migration that has shipped: append a new one.

Times are whole seconds since the epoch, UTC: cheap to compare and index, and the
presentation layer turns them into venue time.
"""

MIGRATIONS: tuple[str, ...] = (
    # 1: the programme, the delegates and their Telegram accounts.
    """
    CREATE TABLE delegation (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );

    CREATE TABLE delegate (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        delegation_id INTEGER NOT NULL REFERENCES delegation(id),
        language      TEXT,
        role          TEXT NOT NULL DEFAULT 'delegate' CHECK (role IN ('delegate', 'organizer'))
    );
    CREATE INDEX delegate_by_delegation ON delegate(delegation_id);

    CREATE TABLE session (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        starts_at   INTEGER NOT NULL,
        ends_at     INTEGER NOT NULL,
        room        TEXT NOT NULL,
        track       TEXT NOT NULL DEFAULT '',
        kind        TEXT NOT NULL,
        audience    TEXT NOT NULL CHECK (audience IN ('all', 'invited')),
        status      TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
        description TEXT NOT NULL DEFAULT '',
        speakers    TEXT NOT NULL DEFAULT '[]',
        -- Rises with every change, so calendars update an event instead of duplicating it.
        sequence    INTEGER NOT NULL DEFAULT 0,
        CHECK (ends_at > starts_at)
    );
    CREATE INDEX session_by_start ON session(starts_at);
    -- Plenaries open to all are on everyone's agenda: found without a scan.
    CREATE INDEX session_public_plenary ON session(starts_at)
        WHERE kind = 'plenary' AND audience = 'all';

    CREATE TABLE session_title (
        session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        language   TEXT NOT NULL,
        title      TEXT NOT NULL,
        PRIMARY KEY (session_id, language)
    ) WITHOUT ROWID;

    CREATE TABLE attendance (
        delegate_id TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        session_id  TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        PRIMARY KEY (delegate_id, session_id)
    ) WITHOUT ROWID;
    CREATE INDEX attendance_by_session ON attendance(session_id, delegate_id);

    -- An invite code is readable (`code`) only while it is open; once redeemed or revoked
    -- only its hash stays, so a reused code can still be told apart from an unknown one.
    CREATE TABLE invite (
        code_hash   BLOB PRIMARY KEY,
        delegate_id TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        code        TEXT UNIQUE,
        created_at  INTEGER NOT NULL,
        redeemed_at INTEGER,
        revoked_at  INTEGER
    );
    CREATE UNIQUE INDEX invite_open_per_delegate ON invite(delegate_id)
        WHERE redeemed_at IS NULL AND revoked_at IS NULL;

    -- What the bot keeps about one Telegram account; /forget deletes the row.
    CREATE TABLE telegram_user (
        user_id           INTEGER PRIMARY KEY,
        delegate_id       TEXT UNIQUE REFERENCES delegate(id) ON DELETE SET NULL,
        language          TEXT,
        telegram_language TEXT,
        reminder_lead     INTEGER,
        reachable         INTEGER NOT NULL DEFAULT 1,
        linked_at         INTEGER
    );

    CREATE TABLE failed_start (
        user_id INTEGER NOT NULL,
        at      INTEGER NOT NULL
    );
    CREATE INDEX failed_start_by_user ON failed_start(user_id, at);
    """,
    # 2: pushed messages. Every message the bot pushes is first a row here, written in the
    # same transaction as the change that caused it; one worker sends them
    # (bot.telegram.delivery_worker).
    """
    CREATE TABLE broadcast (
        id               INTEGER PRIMARY KEY,
        organizer_id     INTEGER NOT NULL,
        audience         TEXT NOT NULL,
        text             TEXT NOT NULL,
        urgent           INTEGER NOT NULL DEFAULT 0,
        state            TEXT NOT NULL DEFAULT 'preview'
                         CHECK (state IN ('preview', 'sending', 'done', 'cancelled')),
        recipients       INTEGER NOT NULL DEFAULT 0,
        progress_chat    INTEGER,
        progress_message INTEGER,
        created_at       REAL NOT NULL,
        confirmed_at     REAL,
        finished_at      REAL
    );
    CREATE INDEX broadcast_active ON broadcast(state) WHERE state = 'sending';

    CREATE TABLE outbox (
        id           INTEGER PRIMARY KEY,
        chat_id      INTEGER NOT NULL,
        delegate_id  TEXT,
        kind         TEXT NOT NULL,
        priority     INTEGER NOT NULL,
        text         TEXT NOT NULL,
        buttons      TEXT,
        silent       INTEGER NOT NULL DEFAULT 0,
        broadcast_id INTEGER REFERENCES broadcast(id) ON DELETE SET NULL,
        -- waiting: to send; sending: claimed by the worker (back to waiting after a crash);
        -- sent, failed (Telegram refused it; see last_error), unreachable (blocked the bot).
        state        TEXT NOT NULL DEFAULT 'waiting'
                     CHECK (state IN ('waiting', 'sending', 'sent', 'failed', 'unreachable')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        due_at       REAL NOT NULL,
        last_error   TEXT,
        created_at   REAL NOT NULL,
        sent_at      REAL,
        message_id   INTEGER
    );
    CREATE INDEX outbox_waiting ON outbox(priority, id) WHERE state = 'waiting';
    CREATE INDEX outbox_by_broadcast ON outbox(broadcast_id, state) WHERE broadcast_id IS NOT NULL;
    CREATE INDEX outbox_by_chat ON outbox(chat_id);
    CREATE INDEX outbox_by_state_time ON outbox(state, created_at);

    CREATE TABLE acknowledgement (
        broadcast_id INTEGER NOT NULL REFERENCES broadcast(id) ON DELETE CASCADE,
        delegate_id  TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        at           REAL NOT NULL,
        PRIMARY KEY (broadcast_id, delegate_id)
    ) WITHOUT ROWID;
    """,
    # 3: reminders, digests and the audit log.
    """
    -- One row per reminder sent: (delegate, session, the start it announced). A session
    -- moved to a new time may be announced again; the same start never twice.
    CREATE TABLE reminder_ledger (
        delegate_id TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        session_id  TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        starts_at   INTEGER NOT NULL,
        sent_at     REAL NOT NULL,
        PRIMARY KEY (delegate_id, session_id, starts_at)
    ) WITHOUT ROWID;

    CREATE TABLE digest_ledger (
        delegate_id TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        day         TEXT NOT NULL,
        sent_at     REAL NOT NULL,
        PRIMARY KEY (delegate_id, day)
    ) WITHOUT ROWID;

    CREATE TABLE audit (
        id     INTEGER PRIMARY KEY,
        at     REAL NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_by_time ON audit(at);
    CREATE INDEX attendance_by_delegate ON attendance(delegate_id, session_id);
    """,
    # 4: values the bot generates once and keeps (the webhook secret token).
    """
    CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 5: rooms as data (the rooms file): where each room is and how many it seats.
    """
    CREATE TABLE room (
        key        TEXT PRIMARY KEY,   -- bot.domain.rooms.room_key(name)
        name       TEXT NOT NULL,
        building   TEXT NOT NULL,
        floor      TEXT NOT NULL,
        capacity   INTEGER NOT NULL CHECK (capacity >= 0),
        latitude   REAL,
        longitude  REAL,
        address    TEXT NOT NULL DEFAULT '',
        map_path   TEXT NOT NULL DEFAULT '',
        x          INTEGER,
        y          INTEGER,
        kind       TEXT NOT NULL DEFAULT 'meeting' CHECK (kind IN ('meeting', 'bilateral')),
        directions TEXT NOT NULL DEFAULT '{}',  -- JSON: language code ("" = any) -> text
        accessible INTEGER                      -- 1 yes, 0 no, NULL unknown
    ) WITHOUT ROWID;
    CREATE INDEX room_by_kind ON room(kind);
    """,
    # 6: heads of delegation. SQLite cannot change a CHECK in place, so the table is
    # rebuilt (the documented 12-step way: the database runs migrations with foreign keys
    # off and checks them before committing, so no child row is cascaded away).
    """
    CREATE TABLE delegate_new (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        delegation_id INTEGER NOT NULL REFERENCES delegation(id),
        language      TEXT,
        role          TEXT NOT NULL DEFAULT 'delegate'
                      CHECK (role IN ('delegate', 'head', 'organizer'))
    );
    INSERT INTO delegate_new (id, name, delegation_id, language, role)
         SELECT id, name, delegation_id, language, role FROM delegate;
    DROP TABLE delegate;
    ALTER TABLE delegate_new RENAME TO delegate;
    CREATE INDEX delegate_by_delegation ON delegate(delegation_id);
    """,
    # 7: floor plans with a room marked, as uploaded to Telegram: sent again by file_id.
    # `fingerprint` says what was drawn (plan file, position, label); another one is redrawn.
    """
    CREATE TABLE room_photo (
        room_key    TEXT NOT NULL,
        language    TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        file_id     TEXT NOT NULL,
        PRIMARY KEY (room_key, language)
    ) WITHOUT ROWID;
    """,
    # 8: bilateral meetings requested by heads of delegation (bot.domain.bilaterals).
    """
    CREATE TABLE bilateral (
        id            INTEGER PRIMARY KEY,
        requester_id  INTEGER NOT NULL REFERENCES delegation(id),
        other_id      INTEGER NOT NULL REFERENCES delegation(id),
        requested_by  TEXT NOT NULL,    -- delegate id of the head who asked
        answered_by   TEXT,             -- delegate id of the head who answered
        room          TEXT NOT NULL,    -- the room's name, as sessions name it
        starts_at     INTEGER NOT NULL,
        ends_at       INTEGER NOT NULL,
        topic         TEXT NOT NULL DEFAULT '',
        state         TEXT NOT NULL CHECK (state IN
                      ('pending', 'approval', 'confirmed', 'declined', 'cancelled', 'expired')),
        reason        TEXT NOT NULL DEFAULT '',
        expires_at    INTEGER NOT NULL,
        session_id    TEXT,             -- the invited session, once accepted
        replaces      INTEGER REFERENCES bilateral(id),  -- the request this one proposes instead
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
    );
    CREATE INDEX bilateral_by_time ON bilateral(starts_at);
    CREATE INDEX bilateral_by_requester ON bilateral(requester_id, state);
    CREATE INDEX bilateral_by_other ON bilateral(other_id, state);
    CREATE TABLE bilateral_participant (
        bilateral_id INTEGER NOT NULL REFERENCES bilateral(id) ON DELETE CASCADE,
        delegate_id  TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        PRIMARY KEY (bilateral_id, delegate_id)
    ) WITHOUT ROWID;
    CREATE INDEX bilateral_participant_by_delegate ON bilateral_participant(delegate_id);
    """,
    # 9: programme sources. The schedule URL a session came from (so
    # that an event which disappears from it is cancelled), and each URL's polling state.
    """
    ALTER TABLE session ADD COLUMN source TEXT NOT NULL DEFAULT '';
    CREATE INDEX session_by_source ON session(source) WHERE source <> '';

    CREATE TABLE programme_source (
        url           TEXT PRIMARY KEY,
        etag          TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        checked_at    REAL,
        success_at    REAL,
        error_at      REAL,
        error         TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;
    """,
    # 10: replies the governor finally could not send, for /stats and `summitbot status`.
    """
    CREATE TABLE lost_reply (
        id     INTEGER PRIMARY KEY,
        at     REAL NOT NULL,
        method TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX lost_reply_by_time ON lost_reply(at);
    """,
    # 11: where an attendance row came from, and values no path may store.
    # `source` is 'organizer' (files, organizers' commands, bilaterals) or 'delegate' (their
    # own choice in /program). A session that becomes invited keeps only organizer rows, so
    # an invited session never reaches someone because they once added its open version.
    # Rows that exist already came mostly from files: they stay 'organizer'.
    # Session times outside 2000-01-01 .. 2100-12-31 (bot.domain.bounds) cannot be shown or
    # shifted; the triggers refuse them whatever code path tries.
    """
    ALTER TABLE attendance ADD COLUMN source TEXT NOT NULL DEFAULT 'organizer'
        CHECK (source IN ('organizer', 'delegate'));

    CREATE TRIGGER attendance_self_added_is_open BEFORE INSERT ON attendance
        WHEN NEW.source = 'delegate'
         AND (SELECT audience FROM session WHERE id = NEW.session_id) = 'invited'
    BEGIN
        SELECT RAISE(ABORT, 'a delegate cannot add an invited session');
    END;

    CREATE TRIGGER session_times_in_range_on_insert BEFORE INSERT ON session
        WHEN NEW.starts_at NOT BETWEEN 946684800 AND 4133980799
          OR NEW.ends_at NOT BETWEEN 946684800 AND 4133980799
    BEGIN
        SELECT RAISE(ABORT, 'session time outside 2000-2100');
    END;

    CREATE TRIGGER session_times_in_range_on_update BEFORE UPDATE OF starts_at, ends_at ON session
        WHEN NEW.starts_at NOT BETWEEN 946684800 AND 4133980799
          OR NEW.ends_at NOT BETWEEN 946684800 AND 4133980799
    BEGIN
        SELECT RAISE(ABORT, 'session time outside 2000-2100');
    END;
    """,
)
