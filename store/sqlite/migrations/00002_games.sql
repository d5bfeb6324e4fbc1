-- The games index, kept in step with the log by Append. player_ids is a
-- JSON array: SQLite has no array type and no GIN index, so the seed's
-- idx_games_players has no equivalent here (json_each scans suffice at the
-- embedded mode's scale).
CREATE TABLE games (
    id           TEXT PRIMARY KEY,
    room_code    TEXT,
    status       TEXT NOT NULL DEFAULT 'active',
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at TEXT,
    num_players  INTEGER,
    num_rounds   INTEGER,
    options      TEXT CHECK (options IS NULL OR json_valid(options)),
    winner_id    TEXT,
    player_ids   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(player_ids))
) STRICT;

CREATE INDEX idx_games_status ON games (status, completed_at);
