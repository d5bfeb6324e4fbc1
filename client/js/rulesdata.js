// rulesdata.js — GET /api/rules turned into what the screens use: every
// setting and option with its type, values, default, labels and the
// server's one-line explanation; the presets; and card values under any
// options, from the server's own table (so what is shown is what is
// scored, rules §7.1).
//
// /api/rules: {settings and options: [{name, type: bool|integer|string,
// values, min, max, default, label, labels, description, descriptions}],
// presets: [{name, options, labels}], card_values: {"AS": 1, …, "JK": -2},
// value_rules: [{option, value, cards: {"KS": -2, …}}], defaults, limits}.

import { humanize, presetName } from './text.js';
import { serverText } from './i18n.js';

const EMPTY = { options: [], settings: {}, presets: [], raw: null, labelOf: (l) => l };

/**
 * normalize reads /api/rules; null (unavailable) gives empty lists. The
 * server's words are English: each is shown translated when the language
 * has words for it (key opt.<option>.…), else as the server sent it.
 */
export function normalize(raw) {
  if (!raw || !Array.isArray(raw.options)) return EMPTY;
  const english = new Map(); // the server's label → its translation, for view.labels
  const options = raw.options.map((o) => {
    const kind = o.type === 'bool' ? 'bool' : o.type === 'integer' ? 'int' : 'enum';
    const values = kind === 'bool' ? [false, true] : o.values ?? [];
    const key = `opt.${o.name}`;
    const valueLabels = {};
    const valueHelp = {};
    if (kind === 'enum') {
      for (const v of values) {
        valueLabels[v] = serverText(`${key}.${v}.label`, o.labels?.[v] ?? humanize(String(v)));
        if (o.labels?.[v]) english.set(o.labels[v], valueLabels[v]);
        if (o.descriptions?.[v]) valueHelp[v] = serverText(`${key}.${v}.help`, o.descriptions[v]);
      }
    }
    // A bool option is named by its label (Knock Bonus); another by its name (Jokers).
    const label = kind === 'bool' ? serverText(`${key}.label`, o.label || humanize(o.name)) : serverText(`${key}.title`, humanize(o.name));
    if (o.label) english.set(o.label, label);
    return {
      name: o.name, kind, values, default: o.default, valueLabels, valueHelp, label, title: label,
      help: serverText(`${key}.help`, o.description ?? ''),
    };
  });
  const settings = Object.fromEntries((raw.settings ?? []).map((s) => [s.name, { help: serverText(`opt.${s.name}.help`, s.description ?? '') }]));
  const labelOf = (l) => english.get(l) ?? l;
  const presets = (raw.presets ?? []).map((p) => ({
    name: p.name, label: presetName(p.name), options: p.options ?? {}, labels: (p.labels ?? []).map(labelOf),
  }));
  return { options, settings, presets, raw, labelOf };
}

/**
 * presetOf names the preset whose house rules equal these, or ''. The
 * number of initial flips has its own control, so it is not compared.
 */
export function presetOf(rules, options) {
  for (const p of rules.presets) {
    if (rules.options.every((o) => o.name === 'initial_flips' || p.options[o.name] === options[o.name])) return p.name;
  }
  return '';
}

/** defaults returns every option at its default. */
export function defaults(rules) {
  const d = {};
  for (const o of rules.options) if (o.default !== undefined) d[o.name] = o.default;
  return d;
}

/** optionLabel is the label of an option (or of its value, for enums). */
export function optionLabel(rules, name, value) {
  const o = rules?.options.find((x) => x.name === name);
  if (!o) return humanize(name);
  if (o.kind === 'enum' && value !== undefined) return o.valueLabels[value] ?? humanize(String(value));
  return o.label;
}
