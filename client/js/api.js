// api.js — the read-only HTTP endpoints: rules, CPU personalities and room
// look-ups. Rules and profiles never change while the page is open, so they
// are fetched once.

import { debug } from './log.js';

let rulesPromise = null;
let profilesPromise = null;

async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    const err = new Error(`${path}: HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

/** rules returns GET /api/rules (cached), or null if it is unavailable. */
export function rules() {
  rulesPromise ??= getJSON('/api/rules').catch((err) => {
    debug('rules', err);
    rulesPromise = null;
    return null;
  });
  return rulesPromise;
}

/** profiles returns the CPU personalities (cached), or [] if unavailable. */
export function profiles() {
  profilesPromise ??= getJSON('/api/profiles').then((p) => (Array.isArray(p) ? p : p.profiles ?? [])).catch((err) => {
    debug('profiles', err);
    profilesPromise = null;
    return [];
  });
  return profilesPromise;
}

/** publicRooms returns GET /api/rooms' list, or null if it is unavailable. */
export async function publicRooms() {
  try {
    const r = await getJSON('/api/rooms');
    return Array.isArray(r?.rooms) ? r.rooms : [];
  } catch (err) {
    debug('public rooms', err);
    return null;
  }
}

/** room returns GET /api/rooms/{code}, or null when there is no such room. */
export async function room(code) {
  try {
    return await getJSON('/api/rooms/' + encodeURIComponent(code));
  } catch (err) {
    debug('room', code, err);
    if (err.status === 404) return null;
    return undefined; // unknown: the network failed
  }
}
