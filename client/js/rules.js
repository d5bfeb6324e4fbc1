// rules.js — the rules: how to play, the card-value table (from /api/rules,
// so it matches the scoring), every house rule with its label, and the
// presets. The same words make the dialog a game opens over the table and
// the page of their own at /rules.

import { h, replace } from './dom.js';
import { rankWord } from './cards.js';
import { t } from './i18n.js';
import { languagePicker } from './lobby.js';

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
    const label = !o ? r.option : o.kind === 'bool' ? o.label : o.valueLabels[r.value] ?? String(r.value);
    const byRank = new Map();
    for (const [card, v] of Object.entries(r.cards)) {
      const rank = card === 'JK' ? 'JK' : card.slice(0, -1);
      if (!byRank.has(rank)) byRank.set(rank, { v, suits: [] });
      if (card !== 'JK') byRank.get(rank).suits.push(SUIT_SYMBOL[card.slice(-1)]);
    }
    for (const [rank, { v, suits }] of byRank) {
      const some = suits.length > 0 && suits.length < 4;
      rows.get(rank)?.notes.push(some ? t('rules.value_with_suits', { value: v, suits: suits.join(''), rule: label }) : t('rules.value_with', { value: v, rule: label }));
    }
  }
  return [...rows.values()].sort((a, b) => RANK_ORDER.indexOf(a.rank) - RANK_ORDER.indexOf(b.rank));
}

function rankName(rank) {
  return rank === 'JK' ? t('rules.joker_row') : rankWord(rank);
}

/** rulesBody is the rules' sections. rules is rulesdata.normalize's result (or null). */
function rulesBody(rules) {
  const rows = rules ? valueRows(rules) : [];
  return [
    h('section', null,
      h('h3', null, t('rules.goal_title')),
      h('p', null, t('rules.goal')),
      h('h3', null, t('rules.hole_title')),
      h('ol', null, ['deal', 'draw', 'swap', 'pairs', 'end'].map((k) => h('li', null, t(`rules.step.${k}`))))),
    h('section', null,
      h('h3', null, t('rules.marks_title')),
      h('ul', null,
        h('li', null, h('span', { class: 'badge dealer', 'aria-hidden': 'true' }, t('badge.dealer_letter')), ' ', t('rules.mark_dealer')),
        h('li', null, t('rules.mark_backs')),
        h('li', null, t('rules.mark_pairs')))),
    h('section', null,
      h('h3', null, t('rules.values_title')),
      rows.length
        ? h('table', { class: 'values-table' },
          h('thead', null, h('tr', null, h('th', null, t('rules.col.card')), h('th', null, t('rules.col.points')), h('th', null, t('rules.col.house')))),
          h('tbody', null, rows.map((r) => h('tr', null,
            h('th', { scope: 'row' }, rankName(r.rank)),
            h('td', { class: 'num' }, r.value ?? '–'),
            h('td', null, r.notes.join('; ') || '—')))))
        : h('p', { class: 'muted' }, t('rules.values_unavailable')),
      h('p', { class: 'hint' }, t('rules.pair_zero'))),
    rules?.options.length > 0 && h('section', null,
      h('h3', null, t('settings.house_rules')),
      h('dl', { class: 'rules-list' }, rules.options.map((o) => [
        h('dt', null, o.title),
        h('dd', null, o.help,
          o.kind !== 'bool' && o.values?.length > 1 && h('ul', null, o.values.map((v) => h('li', null,
            h('b', null, o.valueLabels[v] ?? String(v)), o.valueHelp[v] ? ` — ${o.valueHelp[v]}` : '')))),
      ]))),
    rules?.presets.length > 0 && h('section', null,
      h('h3', null, t('rules.presets_title')),
      h('dl', { class: 'rules-list' }, rules.presets.map((p) => [
        h('dt', null, p.label),
        h('dd', null, p.labels.join(', ') || t('top.standard')),
      ]))),
  ];
}

/** showRules opens the rules over the current screen. */
export function showRules(rules) {
  const dlg = document.getElementById('rules-dialog');
  if (!dlg) return;
  replace(dlg,
    h('form', { method: 'dialog', class: 'dialog-body rules-page' },
      h('header', { class: 'dialog-head' },
        h('h2', { id: 'rules-title' }, t('rules.title')),
        h('button', { class: 'btn btn-icon', value: 'close', 'aria-label': t('common.close') }, '✕')),
      rulesBody(rules)));
  if (!dlg.open) dlg.showModal();
}

/** renderRulesPage is the rules as a page of their own (/rules), to link to and read before a game. */
export function renderRulesPage(rules) {
  return h('div', { class: 'rules-screen', dataset: { screen: 'rules' } },
    h('header', { class: 'rules-top' },
      h('a', { class: 'btn btn-link', href: '/', dataset: { action: 'lobby', key: 'rules-back' } }, '← ', t('rules.back')),
      languagePicker()),
    h('article', { class: 'panel rules-page' },
      h('h1', { id: 'rules-title' }, t('rules.title')),
      rulesBody(rules)));
}
