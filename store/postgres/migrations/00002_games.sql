-- The games index (denormalized for queries), kept in step with the log by
-- Append in the same transaction.
CREATE TABLE games (
    id           UUID PRIMARY KEY,
    room_code    VARCHAR(10),
    status       VARCHAR(20) DEFAULT 'active', -- active, completed, abandoned
    created_at   TIMESTAMPTZ DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    num_players  INT,
    num_rounds   INT,
    options      JSONB,
    winner_id    VARCHAR(50),
    player_ids   VARCHAR(50)[] -- denormalized for leaderboard queries
);

CREATE INDEX idx_games_status ON games (status, completed_at);
CREATE INDEX idx_games_players ON games USING GIN (player_ids);
