// sound.js — short synthesized sounds (Web Audio, no files) for what happens
// at the table, and the mute switch, remembered across visits. The audio
// context is created on the first user gesture, as browsers require.

import { store } from './store.js';

let ctx = null;
let unlocked = false;
let muted = store.muted();
const listeners = new Set();

function audio() {
  // Before a user gesture a context would start suspended and the browser
  // would warn; nothing is played until the player has touched the page.
  if (muted || !unlocked) return null;
  if (!ctx) {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    try { ctx = new AC(); } catch { return null; }
  }
  if (ctx.state === 'suspended') ctx.resume().catch(() => {});
  return ctx;
}

/** unlock creates the audio context during a user gesture. */
export function unlock() {
  unlocked = true;
  audio();
}

/** isMuted reports the mute switch. */
export function isMuted() {
  return muted;
}

/** setMuted sets and remembers the mute switch. */
export function setMuted(m) {
  muted = !!m;
  store.setMuted(muted);
  for (const fn of listeners) fn(muted);
}

/** onMuteChange calls fn(muted) whenever the switch changes. */
export function onMuteChange(fn) {
  listeners.add(fn);
}

function tone(ac, { freq, to, type = 'sine', start = 0, dur = 0.12, gain = 0.15 }) {
  const t0 = ac.currentTime + start;
  const osc = ac.createOscillator();
  const g = ac.createGain();
  osc.type = type;
  osc.frequency.setValueAtTime(freq, t0);
  if (to) osc.frequency.exponentialRampToValueAtTime(to, t0 + dur);
  g.gain.setValueAtTime(0.0001, t0);
  g.gain.exponentialRampToValueAtTime(gain, t0 + 0.01);
  g.gain.exponentialRampToValueAtTime(0.0001, t0 + dur);
  osc.connect(g).connect(ac.destination);
  osc.start(t0);
  osc.stop(t0 + dur + 0.02);
}

function noise(ac, { start = 0, dur = 0.12, gain = 0.12, freq = 2500 }) {
  const t0 = ac.currentTime + start;
  const len = Math.ceil(ac.sampleRate * dur);
  const buf = ac.createBuffer(1, len, ac.sampleRate);
  const data = buf.getChannelData(0);
  for (let i = 0; i < len; i++) data[i] = (Math.random() * 2 - 1) * (1 - i / len);
  const src = ac.createBufferSource();
  src.buffer = buf;
  const filter = ac.createBiquadFilter();
  filter.type = 'bandpass';
  filter.frequency.value = freq;
  const g = ac.createGain();
  g.gain.setValueAtTime(gain, t0);
  g.gain.exponentialRampToValueAtTime(0.0001, t0 + dur);
  src.connect(filter).connect(g).connect(ac.destination);
  src.start(t0);
}

const SOUNDS = {
  draw: (ac) => noise(ac, { dur: 0.14, freq: 3200, gain: 0.1 }),
  place: (ac) => { noise(ac, { dur: 0.06, freq: 1200, gain: 0.14 }); tone(ac, { freq: 180, to: 90, dur: 0.08, gain: 0.12 }); },
  discard: (ac) => noise(ac, { dur: 0.1, freq: 1800, gain: 0.12 }),
  flip: (ac) => { noise(ac, { dur: 0.05, freq: 4200, gain: 0.09 }); tone(ac, { freq: 660, dur: 0.05, gain: 0.04, type: 'triangle' }); },
  turn: (ac) => { tone(ac, { freq: 660, dur: 0.12, type: 'triangle' }); tone(ac, { freq: 880, start: 0.1, dur: 0.18, type: 'triangle' }); },
  knock: (ac) => { tone(ac, { freq: 140, dur: 0.07, gain: 0.3, type: 'square' }); tone(ac, { freq: 140, start: 0.12, dur: 0.07, gain: 0.3, type: 'square' }); },
  lastTurn: (ac) => { tone(ac, { freq: 880, dur: 0.1, type: 'sawtooth', gain: 0.06 }); tone(ac, { freq: 700, start: 0.12, dur: 0.14, type: 'sawtooth', gain: 0.06 }); },
  roundEnd: (ac) => [523, 659, 784].forEach((f, i) => tone(ac, { freq: f, start: i * 0.09, dur: 0.2, type: 'triangle', gain: 0.1 })),
  win: (ac) => [523, 659, 784, 1047].forEach((f, i) => tone(ac, { freq: f, start: i * 0.11, dur: 0.3, type: 'triangle', gain: 0.12 })),
  join: (ac) => tone(ac, { freq: 520, to: 780, dur: 0.15, type: 'sine', gain: 0.08 }),
  error: (ac) => tone(ac, { freq: 220, to: 160, dur: 0.18, type: 'square', gain: 0.05 }),
};

/** play plays a named sound, unless muted or audio is unavailable. */
export function play(name) {
  const ac = audio();
  const fn = SOUNDS[name];
  if (!ac || !fn) return;
  try { fn(ac); } catch { /* a sound is never worth an error */ }
}
