// room.js — the waiting room: the seats, the invite and spectator links,
// the host's CPU picker and settings, and the start button. Everything shown
// comes from the view; every change is a command to the server.

import { icon } from './icons.js';
import { h } from './dom.js';
import { topBar } from './table.js';
import { defaults, presetOf } from './rulesdata.js';
import { roomSwitches } from './quickplay.js';
import { humanize } from './text.js';
import { serverText, t, tx } from './i18n.js';

// A CPU's style and character are the server's English words (/api/profiles), translated when the language has them.
const styleOf = (p) => serverText(`profile.${p.id}.style`, p.style);
const characterOf = (p) => serverText(`profile.${p.id}.character`, p.character);

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
 * hiding its end; its last part (the room code) never breaks, so the code
 * is read whole. A button beside it copies it.
 */
function linkRow(id, what, url) {
  const cut = url.lastIndexOf('/') + 1;
  return h('div', { class: 'link-row' },
    h('span', { class: 'link-label', id: id + '-label' }, t(`room.${what}_link`)),
    h('div', { class: 'link-box' },
      h('code', { id, class: 'link-text', 'aria-labelledby': id + '-label', dataset: { key: id, url } },
        url.slice(0, cut), h('span', { class: 'link-code' }, url.slice(cut))),
      h('button', {
        type: 'button', class: 'btn btn-small', 'aria-label': t(`room.${what}_copy_label`),
        dataset: { action: 'copy', url, copied: t(`room.${what}_copied`), key: id + '-copy' },
      }, t('room.copy'))),
    h('p', { class: 'hint' }, t(`room.${what}_hint`)));
}

function seatRow(view, room, i, isHost, profiles) {
  const s = view.seats[i];
  if (!s) {
    return h('li', { class: 'seat-row empty' }, h('span', { class: 'seat-no' }, i + 1), h('span', { class: 'name muted' }, t('room.open_seat')));
  }
  const online = s.cpu || (room?.online?.[i] ?? true);
  const canRemove = isHost && i !== view.seat;
  return h('li', { class: ['seat-row', !online && 'offline'], dataset: { seat: i, cpu: s.cpu ? '1' : '0' } },
    h('span', { class: 'seat-no' }, i + 1),
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, s.cpu ? icon('robot') : (s.name.trim()[0] ?? '?').toUpperCase()),
    h('span', { class: 'name' }, s.name,
      s.cpu && h('span', { class: 'style-note', dataset: { profile: s.cpu_profile } }, ((p) => (p ? styleOf(p) : ''))(profiles.find((p) => p.id === s.cpu_profile)))),
    h('span', { class: 'badges' },
      i === view.seat && h('span', { class: 'badge you' }, t('badge.you')),
      i === view.host && h('span', { class: 'badge host' }, t('badge.host')),
      s.cpu && h('span', { class: 'badge cpu' }, t('badge.cpu')),
      !online && h('span', { class: 'badge offline' }, t('badge.offline'))),
    canRemove && h('button', {
      type: 'button', class: 'btn btn-small btn-danger', dataset: { action: 'remove', player: s.id, key: 'remove-' + s.id },
      'aria-label': t(s.cpu ? 'room.remove_label' : 'room.kick_label', { name: s.name }),
    }, t(s.cpu ? 'room.remove' : 'room.kick')));
}

function cpuPicker(view, profiles, wanted) {
  const taken = new Set(view.seats.filter((s) => s.cpu && !s.left).map((s) => s.cpu_profile));
  const pick = taken.has(wanted) ? '' : wanted; // once seated, back to "random
  const full = view.seats.length >= MAX_SEATS;
  const chosen = profiles.find((p) => p.id === pick);
  const option = (p) => h('option', { value: p.id, disabled: taken.has(p.id), selected: p.id === pick },
    t(taken.has(p.id) ? 'cpu.option_seated' : 'cpu.option', { name: p.name, style: styleOf(p) }));
  // The expert is never dealt at random: it sits apart, under "Challenge".
  const experts = profiles.filter((p) => p.expert);
  const hint = full ? t('cpu.full')
    : !chosen ? t('cpu.random_hint')
      : chosen.expert ? t('cpu.expert_hint', { character: characterOf(chosen) }) : characterOf(chosen);
  return h('div', { class: 'cpu-picker' },
    h('label', { for: 'cpu-profile' }, t('cpu.add_label')),
    h('div', { class: 'row' },
      h('select', { id: 'cpu-profile', disabled: full, dataset: { key: 'cpu-profile', action: 'pick-cpu' } },
        h('option', { value: '', selected: !pick }, t('cpu.random')),
        experts.length
          ? [h('optgroup', { label: t('cpu.personalities'), dataset: { group: 'personalities' } }, profiles.filter((p) => !p.expert).map(option)),
            h('optgroup', { label: t('cpu.challenge'), dataset: { group: 'challenge' } }, experts.map(option))]
          : profiles.map(option)),
      h('button', { type: 'button', class: 'btn', disabled: full, dataset: { action: 'add-cpu', key: 'add-cpu' } }, t('cpu.add'))),
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

function timerLabel(v) {
  if (v === 0) return t('settings.timer_auto');
  if (v < 0) return t('settings.timer_off');
  return v < 120 ? t('settings.timer_seconds', { s: v }) : t('settings.timer_minutes', { m: v / 60 });
}

function settingsPanel(view, rules, isHost, visibility, room) {
  const disabled = !isHost;
  const opts = view.options;
  const holes = HOLES.includes(view.rounds) ? HOLES : [...HOLES, view.rounds].sort((a, b) => a - b);
  const preset = rules ? presetOf(rules, opts) : '';
  const houseRules = (rules?.options ?? []).filter((o) => o.name !== 'initial_flips');
  const flips = rules?.options.find((o) => o.name === 'initial_flips');
  return h('section', { class: 'panel settings', 'aria-labelledby': 'settings-title' },
    h('h2', { id: 'settings-title' }, t('settings.title'), !isHost && h('span', { class: 'muted small' }, ' · ' + t('settings.by_host'))),
    roomSwitches(view, room, isHost),
    radioGroup('rounds', t('settings.holes'), holes, view.rounds, disabled, String),
    // Who may open the game's replay and export (docs/replay.md): not a
    // rule, so it is sent over HTTP, not as a settings command.
    visibility && h('div', { class: 'field' },
      h('label', { for: 'visibility' }, t('replay.visibility')),
      h('select', { id: 'visibility', disabled, dataset: { action: 'visibility', key: 'visibility' } },
        ['public', 'unlisted', 'private'].map((v) => h('option', { value: v, selected: v === visibility }, t(`visibility.${v}`)))),
      h('p', { class: 'hint' }, t(`visibility.help.${visibility}`))),
    radioGroup('decks', t('settings.decks'), [0, 1, 2, 3], view.decks ?? 0, disabled, (d) => (d === 0 ? t('settings.decks_auto') : String(d)),
      rules?.settings.decks?.help),
    radioGroup('turn_timer', t('settings.turn_timer'), [0, -1, 30, 60, 120], view.turn_timer ?? 0, disabled, timerLabel,
      rules?.settings.turn_timer?.help),
    radioGroup('initial_flips', t('settings.initial_flips'), flips?.values ?? [0, 1, 2], opts.initial_flips, disabled, String,
      flips?.help),
    rules?.presets.length ? h('div', { class: 'field' },
      h('label', { for: 'preset' }, t('settings.preset')),
      h('select', { id: 'preset', disabled, dataset: { setting: 'preset', key: 'preset' } },
        !preset && h('option', { value: '', selected: true }, t('settings.custom')),
        rules.presets.map((p) => h('option', { value: p.name, selected: p.name === preset }, p.label)))) : null,
    h('fieldset', { class: 'house-rules', disabled },
      h('legend', null, t('settings.house_rules')),
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
          h('label', { for: id, class: 'rule-name' }, o.title),
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
  const hostName = view.seats[view.host]?.name;
  const rows = [];
  for (let i = 0; i < MAX_SEATS; i++) rows.push(seatRow(view, room, i, isHost, profiles));
  const reason = seated < 2 ? t('room.need_two') : '';
  return h('div', { class: 'room', dataset: { phase: 'waiting', host: isHost ? '1' : '0', seated } },
    topBar(view, ctx.tools, rules?.labelOf),
    h('div', { class: 'room-body' },
      h('section', { class: 'panel seats-panel', 'aria-labelledby': 'seats-title' },
        h('h1', { id: 'seats-title' }, tx('room.title', { code: h('span', { class: 'code-big', dataset: { room: view.room_code } }, view.room_code) })),
        h('ol', { class: 'seat-list' }, rows),
        isHost && cpuPicker(view, profiles, ctx.cpuPick),
        h('div', { class: 'links' },
          linkRow('invite-link', 'invite', invite),
          linkRow('watch-link', 'watch', watchURL(invite)))),
      settingsPanel(view, rules, isHost, ctx.visibility, room)),
    // However long the house rules run, the way to start stays in sight.
    h('div', { class: 'room-actions', dataset: { key: 'room-actions' } },
      h('div', { class: 'start-row' },
        isHost
          ? [reason && h('p', { class: 'hint warn', id: 'start-reason' }, reason),
            h('button', {
              type: 'button', class: 'btn btn-primary btn-big', disabled: seated < 2,
              'aria-describedby': reason ? 'start-reason' : null, dataset: { action: 'start', key: 'start' },
            }, t('room.start'))]
          : h('p', { class: 'waiting-note' }, hostName ? t('room.waiting_for', { name: hostName }) : t('room.waiting_for_host')))));
}

/**
 * settingsFrom builds the settings to send after one control changed:
 * everything as it stands in the view, with that change applied.
 */
export function settingsFrom(view, rules, change) {
  const s = { rounds: view.rounds, options: { ...view.options } };
  if (view.decks) s.decks = view.decks;
  if (view.turn_timer) s.turn_timer = view.turn_timer;
  if (change.setting === 'turn_timer') {
    if (Number(change.value) === 0) delete s.turn_timer;
    else s.turn_timer = Number(change.value);
  }
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
