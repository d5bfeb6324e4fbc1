-- Accounts (docs/accounts.md). The seed's users table, with what guest-first
-- play needs: a guest is a user with neither username nor password, so
-- username is nullable (unique ignoring case among those who have one) and
-- display_name is what games show. A deleted account keeps its row, wiped,
-- because games name its id. Timestamps are RFC 3339 UTC text with
-- milliseconds, as everywhere in this file; booleans are 0/1.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT,
    email         TEXT,
    password_hash TEXT,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'player' CHECK (role IN ('player', 'admin')),
    created_at    TEXT    NOT NULL,
    last_seen_at  TEXT,
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    preferences   TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(preferences) AND json_type(preferences) = 'object'),
    deleted_at    TEXT,
    -- A password makes a registered user, and a registered user has a name.
    CHECK (password_hash IS NULL OR username IS NOT NULL)
) STRICT;

-- Usernames are ASCII (account checks), so lower() agrees with PostgreSQL's.
CREATE UNIQUE INDEX idx_users_username ON users (lower(username));
CREATE UNIQUE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_role ON users (role) WHERE role = 'admin';

-- A guest who signs in to an existing account is linked into it: the events
-- keep the guest's id, and every reader maps it through this table.
CREATE TABLE guest_links (
    guest_id  TEXT PRIMARY KEY REFERENCES users (id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    linked_at TEXT NOT NULL,
    CHECK (guest_id <> user_id)
) STRICT;

CREATE INDEX idx_guest_links_user ON guest_links (user_id);

-- Only the SHA-256 of a session's token is stored.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    token_hash   BLOB NOT NULL CHECK (length(token_hash) = 32),
    user_id      TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    revoked_at   TEXT,
    user_agent   TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE UNIQUE INDEX idx_sessions_token ON sessions (token_hash);
CREATE INDEX idx_sessions_user ON sessions (user_id, created_at);
CREATE INDEX idx_sessions_expires ON sessions (expires_at);

-- A ban is in force until lifted or until expires_at (NULL: never).
CREATE TABLE bans (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    reason     TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT,
    lifted_at  TEXT,
    lifted_by  TEXT REFERENCES users (id)
) STRICT;

CREATE INDEX idx_bans_user ON bans (user_id, created_at);

-- Every admin action, written in the action's transaction. actor_id NULL is
-- the operator (the golf command on the server).
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  TEXT REFERENCES users (id),
    action    TEXT NOT NULL,
    target_id TEXT REFERENCES users (id),
    detail    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;

CREATE INDEX idx_audit_log_target ON audit_log (target_id, id);
