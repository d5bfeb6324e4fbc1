-- Indexes that keep the leaderboards fast at scale (docs/stats.md,
-- docs/BENCHMARKS.md "Statistics").
--
-- The boards by win rate and by average score list only players with at
-- least GOLF_LEADERBOARD_MIN_GAMES games (25 by default). Most players have
-- fewer: walking the full board indexes of 00004 in rank order skips tens of
-- thousands of them before a page is full, and a player's own rank counts
-- along them too. These partial indexes hold only the players with 25 games
-- or more, so a page is its own length and a rank counts only ranked
-- players. The queries write the minimum as a constant, so the planner
-- uses them for any minimum of 25 or more; a lower minimum falls back on
-- 00004's indexes (correct, slower on big boards).
CREATE INDEX idx_board_wins_ranked ON leaderboard_stats (period, scope, win_rate DESC, games_won DESC, player_id)
    WHERE games_played >= 25;
CREATE INDEX idx_board_avg_ranked ON leaderboard_stats (period, scope, avg_score, player_id)
    WHERE games_played >= 25;

-- The projector looks every poll for guests linked in the last minutes whose
-- games it still has to move into their account (StrandedGuests).
CREATE INDEX idx_guest_links_linked ON guest_links (linked_at);
