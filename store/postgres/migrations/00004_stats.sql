-- Player statistics: a projection of ended games' events (docs/stats.md).
-- Everything here can be rebuilt from the events (golf stats rebuild).

-- Which ended games the projection has taken in. A game's mark is written
-- in the same transaction as its rows, and game_id is unique: a game counts
-- once, however many projectors run or crash.
CREATE TABLE projected_games (
    game_id      UUID        PRIMARY KEY,
    counted      BOOLEAN     NOT NULL,
    completed_at TIMESTAMPTZ NOT NULL,
    projected_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Ratings are folded in (completed_at, game_id) order: this index finds
-- the last projected game, and whether a new one comes late.
CREATE INDEX idx_projected_order ON projected_games (completed_at, game_id);

-- One line per player per counted game: the history, the periods' boards
-- and the rebuild are made from it.
CREATE TABLE player_game_results (
    player_id     TEXT             NOT NULL,
    game_id       UUID             NOT NULL,
    completed_at  TIMESTAMPTZ      NOT NULL,
    month         TEXT             NOT NULL, -- 'month:2026-03' (UTC)
    week          TEXT             NOT NULL, -- 'week:2026-03-02', by its Monday (UTC)
    name          TEXT             NOT NULL,
    cpu           BOOLEAN          NOT NULL,
    seat          SMALLINT         NOT NULL,
    vs_humans     BOOLEAN          NOT NULL,
    standard      BOOLEAN          NOT NULL,
    preset        TEXT             NOT NULL,
    rounds        SMALLINT         NOT NULL,
    place         SMALLINT         NOT NULL, -- 1 = lowest total; ties share; departed players last
    won           BOOLEAN          NOT NULL,
    departed      BOOLEAN          NOT NULL,
    total         INT              NOT NULL,
    rounds_played SMALLINT         NOT NULL,
    rounds_won    SMALLINT         NOT NULL,
    best_round    INT,
    worst_round   INT,
    knockouts     SMALLINT         NOT NULL,
    blunders      INT              NOT NULL,
    graded_turns  INT              NOT NULL,
    round_scores  JSONB            NOT NULL,
    mu            DOUBLE PRECISION NOT NULL, -- rating after this game
    sigma         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (player_id, game_id)
);

CREATE INDEX idx_results_history ON player_game_results (player_id, completed_at DESC, game_id DESC);
CREATE INDEX idx_results_game ON player_game_results (game_id);
CREATE INDEX idx_results_order ON player_game_results (completed_at, game_id);

-- The seed's player_stats (all-time, every counted game), keyed by player
-- id (a user's id, or cpu:<profile>), with the vs-humans split and the
-- rating after the player's latest game.
CREATE TABLE player_stats (
    player_id            TEXT             PRIMARY KEY,
    name                 TEXT             NOT NULL,
    cpu                  BOOLEAN          NOT NULL,
    games_played         INT              NOT NULL DEFAULT 0,
    games_won            INT              NOT NULL DEFAULT 0,
    rounds_played        INT              NOT NULL DEFAULT 0,
    rounds_won           INT              NOT NULL DEFAULT 0,
    total_points         INT              NOT NULL DEFAULT 0, -- lower is better
    best_round_score     INT,
    worst_round_score    INT,
    total_knockouts      INT              NOT NULL DEFAULT 0, -- rounds gone out first
    total_blunders       INT              NOT NULL DEFAULT 0, -- docs/ai.md §5
    graded_turns         INT              NOT NULL DEFAULT 0,
    humans_games_played  INT              NOT NULL DEFAULT 0,
    humans_games_won     INT              NOT NULL DEFAULT 0,
    humans_rounds_played INT              NOT NULL DEFAULT 0,
    humans_rounds_won    INT              NOT NULL DEFAULT 0,
    humans_total_points  INT              NOT NULL DEFAULT 0,
    mu                   DOUBLE PRECISION NOT NULL,
    sigma                DOUBLE PRECISION NOT NULL,
    rating               DOUBLE PRECISION GENERATED ALWAYS AS (mu - 3 * sigma) STORED,
    last_game_at         TIMESTAMPTZ      NOT NULL,
    last_game_id         UUID             NOT NULL,
    updated_at           TIMESTAMPTZ      NOT NULL DEFAULT NOW()
);

-- The boards: one row per period ('all', a month, a week), scope (bits:
-- 1 vs humans, 2 standard rules) and player, with the measures as stored
-- columns so each board is one index range.
CREATE TABLE leaderboard_stats (
    period        TEXT             NOT NULL,
    scope         SMALLINT         NOT NULL CHECK (scope BETWEEN 0 AND 3),
    player_id     TEXT             NOT NULL,
    games_played  INT              NOT NULL,
    games_won     INT              NOT NULL,
    rounds_played INT              NOT NULL,
    rounds_won    INT              NOT NULL,
    total_points  INT              NOT NULL,
    knockouts     INT              NOT NULL,
    mu            DOUBLE PRECISION NOT NULL, -- after the player's last game in the period and scope
    sigma         DOUBLE PRECISION NOT NULL,
    last_game_at  TIMESTAMPTZ      NOT NULL,
    last_game_id  UUID             NOT NULL,
    win_rate      DOUBLE PRECISION GENERATED ALWAYS AS (games_won::float8 / games_played) STORED,
    avg_score     DOUBLE PRECISION GENERATED ALWAYS AS (total_points::float8 / NULLIF(rounds_played, 0)) STORED,
    rating        DOUBLE PRECISION GENERATED ALWAYS AS (mu - 3 * sigma) STORED,
    PRIMARY KEY (period, scope, player_id)
);

CREATE INDEX idx_board_wins ON leaderboard_stats (period, scope, win_rate DESC, games_won DESC, player_id) INCLUDE (games_played);
CREATE INDEX idx_board_games ON leaderboard_stats (period, scope, games_played DESC, player_id);
CREATE INDEX idx_board_avg ON leaderboard_stats (period, scope, avg_score, player_id) INCLUDE (games_played);
CREATE INDEX idx_board_rating ON leaderboard_stats (period, scope, rating DESC, player_id) INCLUDE (games_played);

-- The seed's two views. The threshold here is the default (25); the API
-- takes GOLF_LEADERBOARD_MIN_GAMES.
CREATE VIEW leaderboard_by_wins AS
SELECT player_id, name, cpu, games_played, games_won,
       ROUND(games_won::numeric / NULLIF(games_played, 0) * 100, 1) AS win_rate,
       rounds_won,
       ROUND(total_points::numeric / NULLIF(rounds_played, 0), 1) AS avg_score
FROM player_stats
WHERE games_played >= 25
ORDER BY win_rate DESC, games_won DESC;

CREATE VIEW leaderboard_by_games AS
SELECT player_id, name, cpu, games_played, games_won, rounds_won
FROM player_stats
ORDER BY games_played DESC;
