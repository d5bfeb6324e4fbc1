-- The event log: every game's immutable events, numbered 1, 2, 3… per game.
-- The unique index on (game_id, sequence_num) is the fence that keeps a
-- game's history from forking; it also serves every ordered read of a log,
-- so it is the seed's idx_events_game rather than a second copy of it.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    game_id      TEXT    NOT NULL,
    sequence_num INTEGER NOT NULL,
    event_type   TEXT    NOT NULL,
    event_data   TEXT    NOT NULL CHECK (json_valid(event_data)),
    player_id    TEXT,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE UNIQUE INDEX idx_events_game ON events (game_id, sequence_num);
