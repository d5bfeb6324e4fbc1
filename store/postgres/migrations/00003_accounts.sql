-- Accounts (docs/accounts.md). The seed's users table, with what guest-first
-- play needs: a guest is a user with neither username nor password, so
-- username is nullable (unique ignoring case among those who have one) and
-- display_name is what games show. A deleted account keeps its row, wiped,
-- because games name its id.
CREATE TABLE users (
    id            UUID PRIMARY KEY,
    username      VARCHAR(50),
    email         VARCHAR(255),
    password_hash VARCHAR(255),
    display_name  VARCHAR(100) NOT NULL,
    role          VARCHAR(20)  NOT NULL DEFAULT 'player' CHECK (role IN ('player', 'admin')),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    last_seen_at  TIMESTAMPTZ,
    is_active     BOOLEAN      NOT NULL DEFAULT true,
    preferences   JSONB        NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(preferences) = 'object'),
    deleted_at    TIMESTAMPTZ,
    -- A password makes a registered user, and a registered user has a name.
    CHECK (password_hash IS NULL OR username IS NOT NULL)
);

-- Usernames are ASCII (account checks), so lower() is the same in every
-- locale and in SQLite.
CREATE UNIQUE INDEX idx_users_username ON users (lower(username));
CREATE UNIQUE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_role ON users (role) WHERE role = 'admin';

-- A guest who signs in to an existing account is linked into it: the events
-- keep the guest's id, and every reader maps it through this table.
CREATE TABLE guest_links (
    guest_id  UUID PRIMARY KEY REFERENCES users (id),
    user_id   UUID NOT NULL REFERENCES users (id),
    linked_at TIMESTAMPTZ NOT NULL,
    CHECK (guest_id <> user_id)
);

CREATE INDEX idx_guest_links_user ON guest_links (user_id);

-- Only the SHA-256 of a session's token is stored.
CREATE TABLE sessions (
    id           UUID PRIMARY KEY,
    token_hash   BYTEA NOT NULL CHECK (length(token_hash) = 32),
    user_id      UUID NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    user_agent   VARCHAR(512) NOT NULL DEFAULT '',
    ip           VARCHAR(64)  NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX idx_sessions_token ON sessions (token_hash);
CREATE INDEX idx_sessions_user ON sessions (user_id, created_at);
CREATE INDEX idx_sessions_expires ON sessions (expires_at);

-- A ban is in force until lifted or until expires_at (NULL: never).
CREATE TABLE bans (
    id         BIGSERIAL PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id),
    reason     VARCHAR(500) NOT NULL,
    created_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    lifted_at  TIMESTAMPTZ,
    lifted_by  UUID REFERENCES users (id)
);

CREATE INDEX idx_bans_user ON bans (user_id, created_at);

-- Every admin action, written in the action's transaction. actor_id NULL is
-- the operator (the golf command on the server).
CREATE TABLE audit_log (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor_id  UUID REFERENCES users (id),
    action    VARCHAR(50) NOT NULL,
    target_id UUID REFERENCES users (id),
    detail    JSONB NOT NULL DEFAULT '{}'
);

CREATE INDEX idx_audit_log_target ON audit_log (target_id, id);
