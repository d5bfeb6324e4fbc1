-- The event log: every game's immutable events, numbered 1, 2, 3… per game.
-- The seed's UNIQUE(game_id, sequence_num) is the fence that keeps a game's
-- history from forking. Its index also serves every ordered read of a log,
-- so it is named idx_events_game instead of being doubled by a second,
-- identical index that every insert would have to maintain.
CREATE TABLE events (
    id           BIGSERIAL PRIMARY KEY,
    game_id      UUID        NOT NULL,
    sequence_num INT         NOT NULL,
    event_type   VARCHAR(50) NOT NULL,
    event_data   JSONB       NOT NULL,
    player_id    VARCHAR(50),
    created_at   TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT idx_events_game UNIQUE (game_id, sequence_num)
);
