// statstext.js — the words of the leaderboard and profile pages, by key.
// The keys are those of the translation files the i18n module reads
// (client/i18n/*.json); until it is in this build they are looked up here,
// in English. t(key, {name}) fills {name} placeholders.

const EN = {
  'stats.lobby': '← Lobby',
  'stats.leaderboard': 'Leaderboard',
  'stats.by.wins': 'Wins',
  'stats.by.games': 'Games',
  'stats.by.avg': 'Average',
  'stats.by.rating': 'Rating',
  'stats.period.all': 'All time',
  'stats.period.month': 'This month',
  'stats.period.week': 'This week',
  'stats.vs_humans': 'Only games against humans',
  'stats.standard': 'Only standard rules',
  'stats.min_games': 'Ranked by win rate or average from {n} games.',
  'stats.col.rank': '#',
  'stats.col.player': 'Player',
  'stats.col.games': 'Games',
  'stats.col.won': 'Won',
  'stats.col.win_rate': 'Win %',
  'stats.col.rounds_won': 'Holes won',
  'stats.col.avg': 'Avg/hole',
  'stats.col.knockouts': 'Went out',
  'stats.col.rating': 'Rating',
  'stats.rating_title': 'μ {mu}, σ {sigma}: the rating shown is μ − 3σ',
  'stats.cpu': 'CPU',
  'stats.you': 'you',
  'stats.empty': 'Nobody on this board yet.',
  'stats.prev': '← Previous',
  'stats.next': 'Next →',
  'stats.page': 'Page {n}',
  'stats.unavailable': 'Statistics are unavailable.',
  'stats.unknown_player': 'No statistics for this player yet.',
  'stats.profile': 'Profile',
  'stats.card.games': 'Games',
  'stats.card.wins': 'Wins',
  'stats.card.rating': 'Rating',
  'stats.card.avg': 'Average a hole',
  'stats.card.best': 'Best hole',
  'stats.card.worst': 'Worst hole',
  'stats.card.knockouts': 'Went out first',
  'stats.card.blunders': 'Blunders',
  'stats.win_rate': '{rate}% won',
  'stats.blunder_rate': '{rate} per 100 turns',
  'stats.vs_humans_line': 'Against humans: {games} games, {won} won ({rate}%).',
  'stats.chart': 'Recent hole scores',
  'stats.chart_label': 'Hole scores of the last games, oldest first: {scores}',
  'stats.history': 'Games',
  'stats.col.date': 'Ended',
  'stats.col.players': 'Players',
  'stats.col.place': 'Place',
  'stats.col.total': 'Total',
  'stats.col.rules': 'Rules',
  'stats.replay': 'Replay',
  'stats.no_games': 'No finished games.',
  'stats.left': 'left',
  'stats.results_leaderboard': 'Leaderboard',
  'stats.results_profile': 'Your statistics',
};

/** t returns the words for key with {name} placeholders filled from params. */
export function t(key, params = {}) {
  const s = EN[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

/** keys lists every key, for the test that each is translated. */
export const keys = Object.keys(EN);
