-- A player's own rank in bounded time (docs/stats.md, "Leaderboards").
--
-- Counting the players strictly better along a board's index costs the
-- rank itself: tens of thousands of index entries for a middling player on
-- a big board. leaderboard_buckets keeps, per board (period, scope and
-- measure), how many players fall in each coarse bucket of the board's
-- key; an own rank is then 1 + the players of the better buckets + those
-- better within the player's own bucket (an index range no wider than the
-- bucket). Buckets are floor(key * 2^n): multiplying by a power of two is
-- exact in floating point, so a bucket's bounds b/2^n and (b+1)/2^n are
-- exact and the count equals the plain count, ties included.
--
-- board: 1 win rate (players with 25 games or more: 00006's minimum),
-- bucket floor(win_rate * 1024); 2 games played, bucket games_played;
-- 3 average score (25 games or more, with rounds), floor(avg_score * 16);
-- 4 rating, floor(rating * 16).
CREATE TABLE leaderboard_buckets (
    period  TEXT    NOT NULL,
    scope   INTEGER NOT NULL,
    board   INTEGER NOT NULL,
    bucket  INTEGER NOT NULL,
    players INTEGER NOT NULL,
    PRIMARY KEY (period, scope, board, bucket)
) STRICT, WITHOUT ROWID;

-- A rebuild puts a row here for the length of its transaction (no other
-- connection ever sees it): the triggers stand aside, and the rebuild
-- fills the buckets in one statement.
CREATE TABLE stats_bulk (on_ INTEGER NOT NULL) STRICT;

-- Every write of a board row moves its buckets' counts in the same
-- transaction (projection, re-rating, relink): a bucket it leaves loses
-- one, a bucket it enters gains one, one plain statement each (a board
-- whose bucket did not change is left alone). SQLite has one writer at a
-- time, so there is nothing to deadlock on.
CREATE TRIGGER leaderboard_buckets_insert AFTER INSERT ON leaderboard_stats
WHEN NOT EXISTS (SELECT 1 FROM stats_bulk)
BEGIN
    INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
        SELECT NEW.period, NEW.scope, 1, CAST(floor(NEW.win_rate * 1024) AS INTEGER), 1 WHERE NEW.games_played >= 25
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = players + 1;
    INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
        SELECT NEW.period, NEW.scope, 2, NEW.games_played, 1 WHERE TRUE
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = players + 1;
    INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
        SELECT NEW.period, NEW.scope, 3, CAST(floor(NEW.avg_score * 16) AS INTEGER), 1 WHERE NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = players + 1;
    INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
        SELECT NEW.period, NEW.scope, 4, CAST(floor(NEW.rating * 16) AS INTEGER), 1 WHERE TRUE
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = players + 1;
END;

CREATE TRIGGER leaderboard_buckets_update AFTER UPDATE ON leaderboard_stats
WHEN NOT EXISTS (SELECT 1 FROM stats_bulk)
BEGIN
    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 1 AND bucket = CAST(floor(OLD.win_rate * 1024) AS INTEGER) AND OLD.games_played >= 25 AND NOT (OLD.games_played >= 25 AND NEW.games_played >= 25 AND CAST(floor(OLD.win_rate * 1024) AS INTEGER) = CAST(floor(NEW.win_rate * 1024) AS INTEGER));
    INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
        SELECT NEW.period, NEW.scope, 1, CAST(floor(NEW.win_rate * 1024) AS INTEGER), 1 WHERE NEW.games_played >= 25 AND NOT (OLD.games_played >= 25 AND NEW.games_played >= 25 AND CAST(floor(OLD.win_rate * 1024) AS INTEGER) = CAST(floor(NEW.win_rate * 1024) AS INTEGER))
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = players + 1;
    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 2 AND bucket = OLD.games_played AND NOT (OLD.games_played = NEW.games_played);
    INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
        SELECT NEW.period, NEW.scope, 2, NEW.games_played, 1 WHERE NOT (OLD.games_played = NEW.games_played)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = players + 1;
    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 3 AND bucket = CAST(floor(OLD.avg_score * 16) AS INTEGER) AND OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL AND NOT (OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL AND NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL AND CAST(floor(OLD.avg_score * 16) AS INTEGER) = CAST(floor(NEW.avg_score * 16) AS INTEGER));
    INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
        SELECT NEW.period, NEW.scope, 3, CAST(floor(NEW.avg_score * 16) AS INTEGER), 1 WHERE NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL AND NOT (OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL AND NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL AND CAST(floor(OLD.avg_score * 16) AS INTEGER) = CAST(floor(NEW.avg_score * 16) AS INTEGER))
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = players + 1;
    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 4 AND bucket = CAST(floor(OLD.rating * 16) AS INTEGER) AND NOT (CAST(floor(OLD.rating * 16) AS INTEGER) = CAST(floor(NEW.rating * 16) AS INTEGER));
    INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
        SELECT NEW.period, NEW.scope, 4, CAST(floor(NEW.rating * 16) AS INTEGER), 1 WHERE NOT (CAST(floor(OLD.rating * 16) AS INTEGER) = CAST(floor(NEW.rating * 16) AS INTEGER))
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = players + 1;
END;

CREATE TRIGGER leaderboard_buckets_delete AFTER DELETE ON leaderboard_stats
WHEN NOT EXISTS (SELECT 1 FROM stats_bulk)
BEGIN
    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 1 AND bucket = CAST(floor(OLD.win_rate * 1024) AS INTEGER) AND OLD.games_played >= 25;
    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 2 AND bucket = OLD.games_played AND TRUE;
    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 3 AND bucket = CAST(floor(OLD.avg_score * 16) AS INTEGER) AND OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL;
    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 4 AND bucket = CAST(floor(OLD.rating * 16) AS INTEGER) AND TRUE;
END;

INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
SELECT period, scope, board, bucket, COUNT(*) FROM (
    SELECT period, scope, 1 AS board, CAST(floor(win_rate * 1024) AS INTEGER) AS bucket FROM leaderboard_stats WHERE games_played >= 25
    UNION ALL SELECT period, scope, 2, games_played FROM leaderboard_stats
    UNION ALL SELECT period, scope, 3, CAST(floor(avg_score * 16) AS INTEGER) FROM leaderboard_stats WHERE games_played >= 25 AND avg_score IS NOT NULL
    UNION ALL SELECT period, scope, 4, CAST(floor(rating * 16) AS INTEGER) FROM leaderboard_stats
) WHERE true GROUP BY period, scope, board, bucket;
