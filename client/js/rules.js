// rules.js — the rules page: how to play, the card-value table (from
// /api/rules, so it matches the scoring), every house rule with its label,
// and the presets.

import { h, replace } from './dom.js';
import { rankWord } from './cards.js';
import { humanize } from './text.js';

const RANK_ORDER = ['A', '2', '3', '4', '5', '6', '7', '8', '9', 'T', 'J', 'Q', 'K', 'JK'];
const SUIT_SYMBOL = { S: '♠', H: '♥', D: '♦', C: '♣' };

/** valueRows builds the card-value table: each rank's points and what house rules change. */
function valueRows(rules) {
  const base = rules.raw?.card_values ?? {};
  const rows = new Map();
  for (const [card, value] of Object.entries(base)) {
    const rank = card === 'JK' ? 'JK' : card.slice(0, -1);
    if (!rows.has(rank)) rows.set(rank, { rank, value, notes: [] });
  }
  for (const r of rules.raw?.value_rules ?? []) {
    const o = rules.options.find((x) => x.name === r.option);
    const label = !o ? humanize(r.option) : o.kind === 'bool' ? o.label : o.valueLabels[r.value] ?? humanize(String(r.value));
    const byRank = new Map();
    for (const [card, v] of Object.entries(r.cards)) {
      const rank = card === 'JK' ? 'JK' : card.slice(0, -1);
      if (!byRank.has(rank)) byRank.set(rank, { v, suits: [] });
      if (card !== 'JK') byRank.get(rank).suits.push(SUIT_SYMBOL[card.slice(-1)]);
    }
    for (const [rank, { v, suits }] of byRank) {
      const some = suits.length > 0 && suits.length < 4 ? ` (${suits.join('')} only)` : '';
      rows.get(rank)?.notes.push(`${v}${some} with ${label}`);
    }
  }
  return [...rows.values()].sort((a, b) => RANK_ORDER.indexOf(a.rank) - RANK_ORDER.indexOf(b.rank));
}

function name(rank) {
  return rank === 'JK' ? 'Joker (only with a joker rule)' : rankWord(rank);
}

/** showRules opens the rules page. rules is rulesdata.normalize's result (or null). */
export function showRules(rules) {
  const dlg = document.getElementById('rules-dialog');
  if (!dlg) return;
  const rows = rules ? valueRows(rules) : [];
  replace(dlg,
    h('form', { method: 'dialog', class: 'dialog-body rules-page' },
      h('header', { class: 'dialog-head' },
        h('h2', { id: 'rules-title' }, 'How to play Golf'),
        h('button', { class: 'btn btn-icon', value: 'close', 'aria-label': 'Close' }, '✕')),
      h('section', null,
        h('h3', null, 'The goal'),
        h('p', null, 'Finish each hole with the lowest score. After the last hole, the lowest total wins; tied players share the win.'),
        h('h3', null, 'A hole'),
        h('ol', null,
          h('li', null, 'Everyone gets six cards face down in two rows of three, then turns up two of them (or whatever the table chose).'),
          h('li', null, 'On your turn, draw the top card of the deck or take the top of the discard pile.'),
          h('li', null, 'Swap it for any card in your grid (the old one goes face up on the discard pile), or — if it came from the deck — discard it.'),
          h('li', null, 'Two cards of the same rank in one column cancel to zero. Only columns pair.'),
          h('li', null, 'When someone has all six cards face up, everyone else gets one last turn. Then all hands are revealed and scored.'))),
      h('section', null,
        h('h3', null, 'Card values'),
        rows.length
          ? h('table', { class: 'values-table' },
            h('thead', null, h('tr', null, h('th', null, 'Card'), h('th', null, 'Points'), h('th', null, 'With house rules'))),
            h('tbody', null, rows.map((r) => h('tr', null,
              h('th', { scope: 'row' }, name(r.rank)),
              h('td', { class: 'num' }, r.value ?? '–'),
              h('td', null, r.notes.join('; ') || '—')))))
          : h('p', { class: 'muted' }, 'Card values are unavailable right now.'),
        h('p', { class: 'hint' }, 'A column pair scores 0, whatever the cards are worth.')),
      rules && h('section', null,
        h('h3', null, 'House rules'),
        h('dl', { class: 'rules-list' }, rules.options.map((o) => [
          h('dt', null, o.kind === 'bool' ? o.label : humanize(o.name)),
          h('dd', null, o.help,
            o.kind !== 'bool' && o.values?.length > 1 && h('ul', null, o.values.map((v) => h('li', null,
              h('b', null, o.valueLabels[v] ?? humanize(String(v))), o.valueHelp[v] ? ` — ${o.valueHelp[v]}` : '')))),
        ]))),
      rules?.presets.length > 0 && h('section', null,
        h('h3', null, 'Presets'),
        h('dl', { class: 'rules-list' }, rules.presets.map((p) => [
          h('dt', null, p.label),
          h('dd', null, presetSummary(rules, p) || 'Standard rules.'),
        ])))));
  if (!dlg.open) dlg.showModal();
}

function presetSummary(rules, p) {
  return p.labels.join(', ');
}
