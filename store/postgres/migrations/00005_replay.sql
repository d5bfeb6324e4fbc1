-- Replay, export and import (docs/replay.md). A game's links are public
-- (listed on the recent games page), unlisted (anyone with the link; the
-- default) or private (its players and admins only). An imported game is a
-- copy brought in by import: it counts for nothing in the statistics and
-- belongs to its importer. An archived game's events have been written to
-- an export file and removed; its row stays so its id is not reused.
ALTER TABLE games ADD COLUMN visibility VARCHAR(10) NOT NULL DEFAULT 'unlisted'
    CHECK (visibility IN ('public', 'unlisted', 'private'));
ALTER TABLE games ADD COLUMN imported BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE games ADD COLUMN imported_by VARCHAR(50);
ALTER TABLE games ADD COLUMN archived_at TIMESTAMPTZ;

-- The recent games page: public ended games, newest first.
CREATE INDEX idx_games_public ON games (completed_at DESC, id DESC)
    WHERE visibility = 'public' AND status = 'completed' AND archived_at IS NULL;
