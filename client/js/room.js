// room.js — the waiting room: the seats, the invite and spectator links,
// the host's CPU picker and settings, and the start button. Everything shown
// comes from the view; every change is a command to the server.

import { icon } from './icons.js';
import { h } from './dom.js';
import { topBar } from './table.js';
import { defaults, presetOf } from './rulesdata.js';
import { humanize } from './text.js';

const HOLES = [1, 3, 9, 18];
const MAX_SEATS = 6;

/** inviteURL is the room's join link. */
export function inviteURL(code, room, welcomeURL) {
  return room?.invite_url || welcomeURL || `${location.origin}/r/${code}`;
}

/** watchURL is the room's spectator link. */
export function watchURL(invite) {
  return invite + (invite.includes('?') ? '&' : '?') + 'watch=1';
}

/**
 * linkRow shows a link in full, wrapping on a narrow screen rather than
 * hiding its end (where the room code is), beside a button that copies it.
 */
function linkRow(id, label, url, hint) {
  return h('div', { class: 'link-row' },
    h('span', { class: 'link-label', id: id + '-label' }, label),
    h('div', { class: 'link-box' },
      h('code', { id, class: 'link-text', 'aria-labelledby': id + '-label', dataset: { key: id, url } }, url),
      h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Copy the ${label.toLowerCase()}`, dataset: { action: 'copy', url, what: label, key: id + '-copy' } }, 'Copy')),
    hint && h('p', { class: 'hint' }, hint));
}

function seatRow(view, room, i, isHost, profiles) {
  const s = view.seats[i];
  if (!s) {
    return h('li', { class: 'seat-row empty' }, h('span', { class: 'seat-no' }, i + 1), h('span', { class: 'name muted' }, 'Open seat'));
  }
  const online = s.cpu || (room?.online?.[i] ?? true);
  const canRemove = isHost && i !== view.seat;
  return h('li', { class: ['seat-row', !online && 'offline'], dataset: { seat: i, cpu: s.cpu ? '1' : '0' } },
    h('span', { class: 'seat-no' }, i + 1),
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, s.cpu ? icon('robot') : (s.name.trim()[0] ?? '?').toUpperCase()),
    h('span', { class: 'name' }, s.name,
      s.cpu && h('span', { class: 'style-note', dataset: { profile: s.cpu_profile } }, profiles.find((p) => p.id === s.cpu_profile)?.style ?? '')),
    h('span', { class: 'badges' },
      i === view.seat && h('span', { class: 'badge you' }, 'You'),
      i === view.host && h('span', { class: 'badge host' }, 'Host'),
      s.cpu && h('span', { class: 'badge cpu' }, 'CPU'),
      !online && h('span', { class: 'badge offline' }, 'offline')),
    canRemove && h('button', {
      type: 'button', class: 'btn btn-small btn-danger', dataset: { action: 'remove', player: s.id, key: 'remove-' + s.id },
      'aria-label': s.cpu ? `Remove ${s.name}` : `Kick ${s.name}`,
    }, s.cpu ? 'Remove' : 'Kick'));
}

function cpuPicker(view, profiles, wanted) {
  const taken = new Set(view.seats.filter((s) => s.cpu && !s.left).map((s) => s.cpu_profile));
  const pick = taken.has(wanted) ? '' : wanted; // once seated, back to "random
  const full = view.seats.length >= MAX_SEATS;
  const chosen = profiles.find((p) => p.id === pick);
  const option = (p) => h('option', { value: p.id, disabled: taken.has(p.id), selected: p.id === pick },
    `${p.name} — ${p.style}${taken.has(p.id) ? ' (seated)' : ''}`);
  // The expert is never dealt at random: it sits apart, under "Challenge".
  const experts = profiles.filter((p) => p.expert);
  const hint = full ? 'The table is full.'
    : !chosen ? 'A random personality that is not already seated.'
      : chosen.expert ? `The strongest CPU: ${chosen.character}` : chosen.character;
  return h('div', { class: 'cpu-picker' },
    h('label', { for: 'cpu-profile' }, 'Add a CPU player'),
    h('div', { class: 'row' },
      h('select', { id: 'cpu-profile', disabled: full, dataset: { key: 'cpu-profile', action: 'pick-cpu' } },
        h('option', { value: '', selected: !pick }, 'Random personality'),
        experts.length
          ? [h('optgroup', { label: 'Personalities' }, profiles.filter((p) => !p.expert).map(option)),
            h('optgroup', { label: 'Challenge' }, experts.map(option))]
          : profiles.map(option)),
      h('button', { type: 'button', class: 'btn', disabled: full, dataset: { action: 'add-cpu', key: 'add-cpu' } }, 'Add CPU')),
    h('p', { class: ['hint', chosen?.expert && !full && 'challenge'], id: 'cpu-character' }, hint));
}

function radioGroup(name, legend, values, current, disabled, labelOf = String, help = '') {
  return h('fieldset', { class: 'segmented', disabled },
    h('legend', null, legend),
    h('div', { class: 'segments' }, values.map((v) => h('label', { class: ['segment', v === current && 'on'] },
      h('input', { type: 'radio', name, value: String(v), checked: v === current, dataset: { setting: name, key: `${name}-${v}` } }),
      h('span', null, labelOf(v))))),
    help && h('p', { class: 'hint' }, help));
}

function settingsPanel(view, rules, isHost) {
  const disabled = !isHost;
  const opts = view.options;
  const holes = HOLES.includes(view.rounds) ? HOLES : [...HOLES, view.rounds].sort((a, b) => a - b);
  const preset = rules ? presetOf(rules, opts) : '';
  const houseRules = (rules?.options ?? []).filter((o) => o.name !== 'initial_flips');
  const flips = rules?.options.find((o) => o.name === 'initial_flips');
  return h('section', { class: 'panel settings', 'aria-labelledby': 'settings-title' },
    h('h2', { id: 'settings-title' }, 'Settings', !isHost && h('span', { class: 'muted small' }, ' · chosen by the host')),
    radioGroup('rounds', 'Holes', holes, view.rounds, disabled, String),
    radioGroup('decks', 'Decks', [0, 1, 2, 3], view.decks ?? 0, disabled, (d) => (d === 0 ? 'Auto' : String(d)),
      rules?.settings.decks?.help),
    radioGroup('initial_flips', 'Cards turned up at the start', flips?.values ?? [0, 1, 2], opts.initial_flips, disabled, String,
      flips?.help),
    rules?.presets.length ? h('div', { class: 'field' },
      h('label', { for: 'preset' }, 'Preset'),
      h('select', { id: 'preset', disabled, dataset: { setting: 'preset', key: 'preset' } },
        !preset && h('option', { value: '', selected: true }, 'Custom'),
        rules.presets.map((p) => h('option', { value: p.name, selected: p.name === preset }, p.label)))) : null,
    h('fieldset', { class: 'house-rules', disabled },
      h('legend', null, 'House rules'),
      h('ul', null, houseRules.map((o) => {
        const id = 'opt-' + o.name;
        if (o.kind === 'bool') {
          return h('li', { class: ['rule', opts[o.name] && 'on'] },
            h('label', { class: 'switch', for: id },
              h('input', { id, type: 'checkbox', checked: !!opts[o.name], dataset: { option: o.name, key: id } }),
              h('span', { class: 'switch-track', 'aria-hidden': 'true' }),
              h('span', { class: 'rule-name' }, o.label)),
            h('p', { class: 'rule-help' }, o.help));
        }
        const cur = opts[o.name];
        return h('li', { class: ['rule', o.default !== undefined && cur !== o.default && 'on'] },
          h('label', { for: id, class: 'rule-name' }, humanize(o.name)),
          h('select', { id, dataset: { option: o.name, key: id } },
            o.values.map((v) => h('option', { value: String(v), selected: v === cur }, o.valueLabels[v] ?? humanize(String(v))))),
          h('p', { class: 'rule-help' }, o.valueHelp[cur] ?? o.help));
      }))));
}

/**
 * renderRoom draws the waiting room. ctx: {view, room, rules, profiles,
 * cpuPick, inviteURL, tools}.
 */
export function renderRoom(ctx) {
  const { view, room, rules, profiles } = ctx;
  const isHost = view.seat >= 0 && view.seat === view.host;
  const seated = view.seats.filter((s) => !s.left).length;
  const invite = inviteURL(view.room_code, room, ctx.inviteURL);
  const hostName = view.seats[view.host]?.name ?? 'the host';
  const rows = [];
  for (let i = 0; i < MAX_SEATS; i++) rows.push(seatRow(view, room, i, isHost, profiles));
  const reason = seated < 2 ? 'You need at least 2 players: add a CPU or invite a friend.' : '';
  return h('div', { class: 'room', dataset: { phase: 'waiting', host: isHost ? '1' : '0', seated } },
    topBar(view, ctx.tools),
    h('div', { class: 'room-body' },
      h('section', { class: 'panel seats-panel', 'aria-labelledby': 'seats-title' },
        h('h1', { id: 'seats-title' }, 'Waiting room ', h('span', { class: 'code-big', dataset: { room: view.room_code } }, view.room_code)),
        h('ol', { class: 'seat-list' }, rows),
        isHost && cpuPicker(view, profiles, ctx.cpuPick),
        h('div', { class: 'links' },
          linkRow('invite-link', 'Invite link', invite, 'Friends who open it land on the join screen.'),
          linkRow('watch-link', 'Spectator link', watchURL(invite), 'Spectators see the table as any opponent does.')),
        h('div', { class: 'start-row' },
          isHost
            ? [h('button', {
              type: 'button', class: 'btn btn-primary btn-big', disabled: seated < 2,
              'aria-describedby': reason ? 'start-reason' : null, dataset: { action: 'start', key: 'start' },
            }, 'Start game'),
            reason && h('p', { class: 'hint warn', id: 'start-reason' }, reason)]
            : h('p', { class: 'waiting-note' }, `Waiting for ${hostName} to start the game…`))),
      settingsPanel(view, rules, isHost)));
}

/**
 * settingsFrom builds the settings to send after one control changed:
 * everything as it stands in the view, with that change applied.
 */
export function settingsFrom(view, rules, change) {
  const s = { rounds: view.rounds, options: { ...view.options } };
  if (view.decks) s.decks = view.decks;
  if (change.setting === 'rounds') s.rounds = Number(change.value);
  if (change.setting === 'decks') {
    if (Number(change.value) === 0) delete s.decks;
    else s.decks = Number(change.value);
  }
  if (change.setting === 'initial_flips') s.options.initial_flips = Number(change.value);
  if (change.setting === 'preset') {
    const p = rules.presets.find((x) => x.name === change.value);
    if (p) s.options = { ...defaults(rules), ...p.options, initial_flips: view.options.initial_flips };
  }
  if (change.option) {
    const o = rules.options.find((x) => x.name === change.option);
    if (o?.kind === 'bool') s.options[o.name] = !!change.checked;
    else if (o?.kind === 'int') s.options[o.name] = Number(change.value);
    else if (o) s.options[o.name] = change.value;
  }
  return s;
}
