DROP TABLE IF EXISTS pgbench_events;
CREATE TABLE pgbench_events (
    id           BIGSERIAL PRIMARY KEY,
    game_id      UUID        NOT NULL,
    sequence_num INT         NOT NULL,
    event_type   VARCHAR(50) NOT NULL,
    event_data   JSONB       NOT NULL,
    player_id    VARCHAR(50),
    created_at   TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT pgbench_events_game UNIQUE (game_id, sequence_num)
);
