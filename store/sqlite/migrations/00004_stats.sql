-- Player statistics: a projection of ended games' events (docs/stats.md).
-- Everything here can be rebuilt from the events (golf stats rebuild).
-- Timestamps are RFC 3339 UTC text with milliseconds, as games.completed_at;
-- booleans are 0/1.

-- Which ended games the projection has taken in. A game's mark is written
-- in the same transaction as its rows, and game_id is unique: a game counts
-- once, however many projectors run or crash.
CREATE TABLE projected_games (
    game_id      TEXT    PRIMARY KEY,
    counted      INTEGER NOT NULL CHECK (counted IN (0, 1)),
    completed_at TEXT    NOT NULL,
    projected_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- Ratings are folded in (completed_at, game_id) order: this index finds
-- the last projected game, and whether a new one comes late.
CREATE INDEX idx_projected_order ON projected_games (completed_at, game_id);

-- One line per player per counted game: the history, the periods' boards
-- and the rebuild are made from it.
CREATE TABLE player_game_results (
    player_id     TEXT    NOT NULL,
    game_id       TEXT    NOT NULL,
    completed_at  TEXT    NOT NULL,
    month         TEXT    NOT NULL, -- 'month:2026-03' (UTC)
    week          TEXT    NOT NULL, -- 'week:2026-03-02', by its Monday (UTC)
    name          TEXT    NOT NULL,
    cpu           INTEGER NOT NULL,
    seat          INTEGER NOT NULL,
    vs_humans     INTEGER NOT NULL,
    standard      INTEGER NOT NULL,
    preset        TEXT    NOT NULL,
    rounds        INTEGER NOT NULL,
    place         INTEGER NOT NULL, -- 1 = lowest total; ties share; departed players last
    won           INTEGER NOT NULL,
    departed      INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    rounds_played INTEGER NOT NULL,
    rounds_won    INTEGER NOT NULL,
    best_round    INTEGER,
    worst_round   INTEGER,
    knockouts     INTEGER NOT NULL,
    blunders      INTEGER NOT NULL,
    graded_turns  INTEGER NOT NULL,
    round_scores  TEXT    NOT NULL CHECK (json_valid(round_scores)),
    mu            REAL    NOT NULL, -- rating after this game
    sigma         REAL    NOT NULL,
    PRIMARY KEY (player_id, game_id)
) STRICT;

CREATE INDEX idx_results_history ON player_game_results (player_id, completed_at DESC, game_id DESC);
CREATE INDEX idx_results_game ON player_game_results (game_id);
CREATE INDEX idx_results_order ON player_game_results (completed_at, game_id);

-- The seed's player_stats (all-time, every counted game), keyed by player
-- id (a user's id, or cpu:<profile>), with the vs-humans split and the
-- rating after the player's latest game.
CREATE TABLE player_stats (
    player_id            TEXT    PRIMARY KEY,
    name                 TEXT    NOT NULL,
    cpu                  INTEGER NOT NULL,
    games_played         INTEGER NOT NULL DEFAULT 0,
    games_won            INTEGER NOT NULL DEFAULT 0,
    rounds_played        INTEGER NOT NULL DEFAULT 0,
    rounds_won           INTEGER NOT NULL DEFAULT 0,
    total_points         INTEGER NOT NULL DEFAULT 0, -- lower is better
    best_round_score     INTEGER,
    worst_round_score    INTEGER,
    total_knockouts      INTEGER NOT NULL DEFAULT 0, -- rounds gone out first
    total_blunders       INTEGER NOT NULL DEFAULT 0, -- docs/ai.md §5
    graded_turns         INTEGER NOT NULL DEFAULT 0,
    humans_games_played  INTEGER NOT NULL DEFAULT 0,
    humans_games_won     INTEGER NOT NULL DEFAULT 0,
    humans_rounds_played INTEGER NOT NULL DEFAULT 0,
    humans_rounds_won    INTEGER NOT NULL DEFAULT 0,
    humans_total_points  INTEGER NOT NULL DEFAULT 0,
    mu                   REAL    NOT NULL,
    sigma                REAL    NOT NULL,
    rating               REAL    GENERATED ALWAYS AS (mu - 3 * sigma) STORED,
    last_game_at         TEXT    NOT NULL,
    last_game_id         TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- The boards: one row per period ('all', a month, a week), scope (bits:
-- 1 vs humans, 2 standard rules) and player, with the measures as stored
-- columns so each board is one index range.
CREATE TABLE leaderboard_stats (
    period        TEXT    NOT NULL,
    scope         INTEGER NOT NULL CHECK (scope BETWEEN 0 AND 3),
    player_id     TEXT    NOT NULL,
    games_played  INTEGER NOT NULL,
    games_won     INTEGER NOT NULL,
    rounds_played INTEGER NOT NULL,
    rounds_won    INTEGER NOT NULL,
    total_points  INTEGER NOT NULL,
    knockouts     INTEGER NOT NULL,
    mu            REAL    NOT NULL, -- after the player's last game in the period and scope
    sigma         REAL    NOT NULL,
    last_game_at  TEXT    NOT NULL,
    last_game_id  TEXT    NOT NULL,
    win_rate      REAL    GENERATED ALWAYS AS (CAST(games_won AS REAL) / games_played) STORED,
    avg_score     REAL    GENERATED ALWAYS AS (CAST(total_points AS REAL) / NULLIF(rounds_played, 0)) STORED,
    rating        REAL    GENERATED ALWAYS AS (mu - 3 * sigma) STORED,
    PRIMARY KEY (period, scope, player_id)
) STRICT;

CREATE INDEX idx_board_wins ON leaderboard_stats (period, scope, win_rate DESC, games_won DESC, player_id, games_played);
CREATE INDEX idx_board_games ON leaderboard_stats (period, scope, games_played DESC, player_id);
CREATE INDEX idx_board_avg ON leaderboard_stats (period, scope, avg_score, player_id, games_played);
CREATE INDEX idx_board_rating ON leaderboard_stats (period, scope, rating DESC, player_id);

-- The seed's two views. The threshold here is the default (25); the API
-- takes GOLF_LEADERBOARD_MIN_GAMES.
CREATE VIEW leaderboard_by_wins AS
SELECT player_id, name, cpu, games_played, games_won,
       ROUND(games_won * 100.0 / games_played, 1) AS win_rate,
       rounds_won,
       ROUND(CAST(total_points AS REAL) / NULLIF(rounds_played, 0), 1) AS avg_score
FROM player_stats
WHERE games_played >= 25
ORDER BY win_rate DESC, games_won DESC;

CREATE VIEW leaderboard_by_games AS
SELECT player_id, name, cpu, games_played, games_won, rounds_won
FROM player_stats
ORDER BY games_played DESC;
