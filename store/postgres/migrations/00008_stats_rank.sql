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
    period  TEXT     NOT NULL,
    scope   SMALLINT NOT NULL,
    board   SMALLINT NOT NULL,
    bucket  BIGINT   NOT NULL,
    players INT      NOT NULL,
    PRIMARY KEY (period, scope, board, bucket) INCLUDE (players)
);

-- Every write of a board row moves its buckets' counts in the same
-- transaction (projection, re-rating, relink). A rebuild sets
-- golf.stats_bulk and fills the buckets in one statement instead. The
-- counts are updated in key order; writers also hold the projection's
-- advisory lock, so two projectors cannot deadlock on them.
CREATE FUNCTION leaderboard_buckets_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('golf.stats_bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        SELECT x.period, x.scope, x.board, x.bucket, SUM(x.d)::int FROM (
            SELECT NEW.period, NEW.scope, 1::smallint, floor(NEW.win_rate * 1024)::bigint, 1 WHERE NEW.games_played >= 25
            UNION ALL SELECT NEW.period, NEW.scope, 2::smallint, NEW.games_played::bigint, 1
            UNION ALL SELECT NEW.period, NEW.scope, 3::smallint, floor(NEW.avg_score * 16)::bigint, 1 WHERE NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL
            UNION ALL SELECT NEW.period, NEW.scope, 4::smallint, floor(NEW.rating * 16)::bigint, 1
        ) x (period, scope, board, bucket, d)
        GROUP BY 1, 2, 3, 4 HAVING SUM(x.d) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + excluded.players;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        SELECT x.period, x.scope, x.board, x.bucket, SUM(x.d)::int FROM (
            SELECT OLD.period, OLD.scope, 1::smallint, floor(OLD.win_rate * 1024)::bigint, -1 WHERE OLD.games_played >= 25
            UNION ALL SELECT OLD.period, OLD.scope, 2::smallint, OLD.games_played::bigint, -1
            UNION ALL SELECT OLD.period, OLD.scope, 3::smallint, floor(OLD.avg_score * 16)::bigint, -1 WHERE OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL
            UNION ALL SELECT OLD.period, OLD.scope, 4::smallint, floor(OLD.rating * 16)::bigint, -1
            UNION ALL SELECT NEW.period, NEW.scope, 1::smallint, floor(NEW.win_rate * 1024)::bigint, 1 WHERE NEW.games_played >= 25
            UNION ALL SELECT NEW.period, NEW.scope, 2::smallint, NEW.games_played::bigint, 1
            UNION ALL SELECT NEW.period, NEW.scope, 3::smallint, floor(NEW.avg_score * 16)::bigint, 1 WHERE NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL
            UNION ALL SELECT NEW.period, NEW.scope, 4::smallint, floor(NEW.rating * 16)::bigint, 1
        ) x (period, scope, board, bucket, d)
        GROUP BY 1, 2, 3, 4 HAVING SUM(x.d) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + excluded.players;
    ELSE
        INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        SELECT x.period, x.scope, x.board, x.bucket, SUM(x.d)::int FROM (
            SELECT OLD.period, OLD.scope, 1::smallint, floor(OLD.win_rate * 1024)::bigint, -1 WHERE OLD.games_played >= 25
            UNION ALL SELECT OLD.period, OLD.scope, 2::smallint, OLD.games_played::bigint, -1
            UNION ALL SELECT OLD.period, OLD.scope, 3::smallint, floor(OLD.avg_score * 16)::bigint, -1 WHERE OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL
            UNION ALL SELECT OLD.period, OLD.scope, 4::smallint, floor(OLD.rating * 16)::bigint, -1
        ) x (period, scope, board, bucket, d)
        GROUP BY 1, 2, 3, 4 HAVING SUM(x.d) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + excluded.players;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER leaderboard_buckets_count AFTER INSERT OR UPDATE OR DELETE ON leaderboard_stats
    FOR EACH ROW EXECUTE FUNCTION leaderboard_buckets_count();

INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
SELECT period, scope, board, bucket, COUNT(*) FROM (
    SELECT period, scope, 1 AS board, CAST(floor(win_rate * 1024) AS BIGINT) AS bucket FROM leaderboard_stats WHERE games_played >= 25
    UNION ALL SELECT period, scope, 2, games_played FROM leaderboard_stats
    UNION ALL SELECT period, scope, 3, CAST(floor(avg_score * 16) AS BIGINT) FROM leaderboard_stats WHERE games_played >= 25 AND avg_score IS NOT NULL
    UNION ALL SELECT period, scope, 4, CAST(floor(rating * 16) AS BIGINT) FROM leaderboard_stats
) x GROUP BY period, scope, board, bucket;
