-- A database made by summitbot 0.1.0 (commit adeed90, schema version 4: the previous
-- release), for tests/storage/test_upgrade.py: the tests' summit imported with
-- `summitbot import` (tests/support/summit_files.py, at 2030-06-01T12:00Z), invites made,
-- alice (Telegram 1001, fr-FR, 30-minute reminders) and yara (1002, ar) registered, one
-- failed /start, the webhook secret kept, one reminder waiting in the outbox.
-- Written with sqlite3's iterdump(); never edit it: make a new one for the next release.
BEGIN TRANSACTION;
CREATE TABLE acknowledgement (
        broadcast_id INTEGER NOT NULL REFERENCES broadcast(id) ON DELETE CASCADE,
        delegate_id  TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        at           REAL NOT NULL,
        PRIMARY KEY (broadcast_id, delegate_id)
    ) WITHOUT ROWID;
CREATE TABLE attendance (
        delegate_id TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        session_id  TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        PRIMARY KEY (delegate_id, session_id)
    ) WITHOUT ROWID;
INSERT INTO "attendance" VALUES('alice','bil-xy');
INSERT INTO "attendance" VALUES('alice','cyber');
INSERT INTO "attendance" VALUES('alice','gone');
INSERT INTO "attendance" VALUES('alice','soon');
INSERT INTO "attendance" VALUES('yara','bil-xy');
INSERT INTO "attendance" VALUES('yara','bil-zy');
INSERT INTO "attendance" VALUES('zed','bil-zy');
INSERT INTO "attendance" VALUES('zed','private-plenary');
CREATE TABLE audit (
        id     INTEGER PRIMARY KEY,
        at     REAL NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}'
    );
INSERT INTO "audit" VALUES(1,1.79608795325847268105e+09,'cli:root','import','/tmp/pk-fix/sessions.csv, /tmp/pk-fix/delegates.csv, /tmp/pk-fix/attendance.csv','{"sessions": {"added": 9, "changed": 0, "unchanged": 0, "removed": 0}, "delegates": {"added": 5, "changed": 0, "unchanged": 0, "removed": 0}, "attendance": {"added": 8, "changed": 0, "unchanged": 0, "removed": 0}, "told": 0}');
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
CREATE TABLE delegate (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        delegation_id INTEGER NOT NULL REFERENCES delegation(id),
        language      TEXT,
        role          TEXT NOT NULL DEFAULT 'delegate' CHECK (role IN ('delegate', 'organizer'))
    );
INSERT INTO "delegate" VALUES('alice','Alice Arnaud',2,NULL,'delegate');
INSERT INTO "delegate" VALUES('yara','Yara Yilmaz',3,NULL,'delegate');
INSERT INTO "delegate" VALUES('zed','Zed Zamani',4,NULL,'delegate');
INSERT INTO "delegate" VALUES('farid','Farid Fakhoury',2,'fr','delegate');
INSERT INTO "delegate" VALUES('olga','Olga Organizer',1,NULL,'organizer');
CREATE TABLE delegation (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );
INSERT INTO "delegation" VALUES(1,'Secretariat');
INSERT INTO "delegation" VALUES(2,'Xandria');
INSERT INTO "delegation" VALUES(3,'Yoland');
INSERT INTO "delegation" VALUES(4,'Zembla');
CREATE TABLE digest_ledger (
        delegate_id TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        day         TEXT NOT NULL,
        sent_at     REAL NOT NULL,
        PRIMARY KEY (delegate_id, day)
    ) WITHOUT ROWID;
CREATE TABLE failed_start (
        user_id INTEGER NOT NULL,
        at      INTEGER NOT NULL
    );
INSERT INTO "failed_start" VALUES(1003,1906545600);
CREATE TABLE invite (
        code_hash   BLOB PRIMARY KEY,
        delegate_id TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        code        TEXT UNIQUE,
        created_at  INTEGER NOT NULL,
        redeemed_at INTEGER,
        revoked_at  INTEGER
    );
INSERT INTO "invite" VALUES(X'1E4E039381F8AC92496D90B6015C73FAE99A94740A48A53D0F0D522EC0637F10','alice',NULL,1906545600,1906545600,NULL);
INSERT INTO "invite" VALUES(X'A5F153FEF371F24DFC5D5FD22684089994F52E9422FC3DB1D4FDAB42ED265C24','farid','5nmMMw4nBIrJHLjO',1906545600,NULL,NULL);
INSERT INTO "invite" VALUES(X'449E11973BDA190FFF9B399B9AD0926FD40760C988346FEF7EF7B3EFE31A82AD','olga','NQeFJRsilsLql4nc',1906545600,NULL,NULL);
INSERT INTO "invite" VALUES(X'C8A1FBD82FE81E9551047511F57ADC0A66B45932B834975D543C39C2F06C1F5D','yara',NULL,1906545600,1906545600,NULL);
INSERT INTO "invite" VALUES(X'F7C346AEAB99FBCB4604A73B29B7CFDABCA39D287331AA37D604E1D28AC9E231','zed','mribdNW2pq7_blw2',1906545600,NULL,NULL);
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
INSERT INTO "outbox" VALUES(1,1001,'alice','reminder',2,'⏰ <b>09:00</b> Opening plenary — Plenary Hall',NULL,0,NULL,'waiting',0,1906545600.0,NULL,1906545600.0,NULL,NULL);
CREATE TABLE reminder_ledger (
        delegate_id TEXT NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
        session_id  TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        starts_at   INTEGER NOT NULL,
        sent_at     REAL NOT NULL,
        PRIMARY KEY (delegate_id, session_id, starts_at)
    ) WITHOUT ROWID;
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
INSERT INTO "session" VALUES('open','Opening plenary',1907301600,1907305200,'Plenary Hall','','plenary','all','scheduled','','[]',0);
INSERT INTO "session" VALUES('cyber','Cyber defense & <resilience>',1907308800,1907314200,'Room A','Cyber','panel','all','scheduled','','[]',0);
INSERT INTO "session" VALUES('bil-xy','Bilateral: Xandria – Yoland',1907319600,1907322300,'Salon 3','','bilateral','invited','scheduled','','[]',0);
INSERT INTO "session" VALUES('bil-zy','Bilateral: Zembla – Yoland',1907323200,1907325900,'Salon 4','','bilateral','invited','scheduled','','[]',0);
INSERT INTO "session" VALUES('gone','Cancelled workshop',1907326800,1907330400,'Room B','','workshop','all','cancelled','','[]',0);
INSERT INTO "session" VALUES('closing','Closing plenary',1907503200,1907506800,'Plenary Hall','','plenary','all','scheduled','','[]',0);
INSERT INTO "session" VALUES('crisis','Crisis management',1907391600,1907395200,'Room A','Crisis','panel','all','scheduled','','[]',0);
INSERT INTO "session" VALUES('private-plenary','Closed plenary of ministers',1907398800,1907402400,'Hall B','','plenary','invited','scheduled','','[]',0);
INSERT INTO "session" VALUES('soon','Briefing on logistics',1906547400,1906550100,'Room C','','panel','all','scheduled','','[]',0);
CREATE TABLE session_title (
        session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        language   TEXT NOT NULL,
        title      TEXT NOT NULL,
        PRIMARY KEY (session_id, language)
    ) WITHOUT ROWID;
INSERT INTO "session_title" VALUES('open','fr','Séance plénière d''ouverture');
CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
INSERT INTO "setting" VALUES('webhook_secret_token','fMaPAf1xIluX6HGVu5kogwKDsMkdfhptd4uFhZa0ktY');
CREATE TABLE telegram_user (
        user_id           INTEGER PRIMARY KEY,
        delegate_id       TEXT UNIQUE REFERENCES delegate(id) ON DELETE SET NULL,
        language          TEXT,
        telegram_language TEXT,
        reminder_lead     INTEGER,
        reachable         INTEGER NOT NULL DEFAULT 1,
        linked_at         INTEGER
    );
INSERT INTO "telegram_user" VALUES(1001,'alice',NULL,'fr-FR',30,1,1906545600);
INSERT INTO "telegram_user" VALUES(1002,'yara','ar','ar',NULL,1,1906545600);
CREATE INDEX delegate_by_delegation ON delegate(delegation_id);
CREATE INDEX session_by_start ON session(starts_at);
CREATE INDEX session_public_plenary ON session(starts_at)
        WHERE kind = 'plenary' AND audience = 'all';
CREATE INDEX attendance_by_session ON attendance(session_id, delegate_id);
CREATE UNIQUE INDEX invite_open_per_delegate ON invite(delegate_id)
        WHERE redeemed_at IS NULL AND revoked_at IS NULL;
CREATE INDEX failed_start_by_user ON failed_start(user_id, at);
CREATE INDEX broadcast_active ON broadcast(state) WHERE state = 'sending';
CREATE INDEX outbox_waiting ON outbox(priority, id) WHERE state = 'waiting';
CREATE INDEX outbox_by_broadcast ON outbox(broadcast_id, state) WHERE broadcast_id IS NOT NULL;
CREATE INDEX outbox_by_chat ON outbox(chat_id);
CREATE INDEX outbox_by_state_time ON outbox(state, created_at);
CREATE INDEX audit_by_time ON audit(at);
CREATE INDEX attendance_by_delegate ON attendance(delegate_id, session_id);
COMMIT;
PRAGMA user_version = 4;
