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
-- transaction (projection, re-rating, relink): a bucket it leaves loses
-- one, a bucket it enters gains one (a board whose bucket did not change
-- is left alone), boards in order and the lower bucket first. Writers
-- hold the projection's advisory lock besides, so two projectors never
-- wait on each other's buckets. A rebuild sets golf.stats_bulk and fills
-- the buckets in one statement instead.
CREATE FUNCTION leaderboard_buckets_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('golf.stats_bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NOT (OLD.games_played >= 25 AND NEW.games_played >= 25 AND CAST(floor(OLD.win_rate * 1024) AS BIGINT) = CAST(floor(NEW.win_rate * 1024) AS BIGINT)) THEN
            IF OLD.games_played >= 25 AND (NEW.games_played >= 25) AND CAST(floor(OLD.win_rate * 1024) AS BIGINT) > CAST(floor(NEW.win_rate * 1024) AS BIGINT) THEN
                INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 1, CAST(floor(NEW.win_rate * 1024) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
                UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 1 AND bucket = CAST(floor(OLD.win_rate * 1024) AS BIGINT);
            ELSE
                IF OLD.games_played >= 25 THEN
                    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 1 AND bucket = CAST(floor(OLD.win_rate * 1024) AS BIGINT);
                END IF;
                IF NEW.games_played >= 25 THEN
                    INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 1, CAST(floor(NEW.win_rate * 1024) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
                END IF;
            END IF;
        END IF;
        IF NOT (OLD.games_played = NEW.games_played) THEN
            IF OLD.games_played > NEW.games_played THEN
                INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 2, NEW.games_played, 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
                UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 2 AND bucket = OLD.games_played;
            ELSE
                IF TRUE THEN
                    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 2 AND bucket = OLD.games_played;
                END IF;
                IF TRUE THEN
                    INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 2, NEW.games_played, 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
                END IF;
            END IF;
        END IF;
        IF NOT (OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL AND NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL AND CAST(floor(OLD.avg_score * 16) AS BIGINT) = CAST(floor(NEW.avg_score * 16) AS BIGINT)) THEN
            IF OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL AND (NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL) AND CAST(floor(OLD.avg_score * 16) AS BIGINT) > CAST(floor(NEW.avg_score * 16) AS BIGINT) THEN
                INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 3, CAST(floor(NEW.avg_score * 16) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
                UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 3 AND bucket = CAST(floor(OLD.avg_score * 16) AS BIGINT);
            ELSE
                IF OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL THEN
                    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 3 AND bucket = CAST(floor(OLD.avg_score * 16) AS BIGINT);
                END IF;
                IF NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL THEN
                    INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 3, CAST(floor(NEW.avg_score * 16) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
                END IF;
            END IF;
        END IF;
        IF NOT (CAST(floor(OLD.rating * 16) AS BIGINT) = CAST(floor(NEW.rating * 16) AS BIGINT)) THEN
            IF CAST(floor(OLD.rating * 16) AS BIGINT) > CAST(floor(NEW.rating * 16) AS BIGINT) THEN
                INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 4, CAST(floor(NEW.rating * 16) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
                UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 4 AND bucket = CAST(floor(OLD.rating * 16) AS BIGINT);
            ELSE
                IF TRUE THEN
                    UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 4 AND bucket = CAST(floor(OLD.rating * 16) AS BIGINT);
                END IF;
                IF TRUE THEN
                    INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 4, CAST(floor(NEW.rating * 16) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
                END IF;
            END IF;
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        IF NEW.games_played >= 25 THEN
            INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 1, CAST(floor(NEW.win_rate * 1024) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
        END IF;
        INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 2, NEW.games_played, 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
        IF NEW.games_played >= 25 AND NEW.avg_score IS NOT NULL THEN
            INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 3, CAST(floor(NEW.avg_score * 16) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
        END IF;
        INSERT INTO leaderboard_buckets AS b (period, scope, board, bucket, players)
        VALUES (NEW.period, NEW.scope, 4, CAST(floor(NEW.rating * 16) AS BIGINT), 1)
        ON CONFLICT (period, scope, board, bucket) DO UPDATE SET players = b.players + 1;
    ELSE
        IF OLD.games_played >= 25 THEN
            UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 1 AND bucket = CAST(floor(OLD.win_rate * 1024) AS BIGINT);
        END IF;
        UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 2 AND bucket = OLD.games_played;
        IF OLD.games_played >= 25 AND OLD.avg_score IS NOT NULL THEN
            UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 3 AND bucket = CAST(floor(OLD.avg_score * 16) AS BIGINT);
        END IF;
        UPDATE leaderboard_buckets SET players = players - 1
        WHERE period = OLD.period AND scope = OLD.scope AND board = 4 AND bucket = CAST(floor(OLD.rating * 16) AS BIGINT);
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
