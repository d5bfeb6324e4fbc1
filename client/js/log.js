// log.js — the only module that may write to the console, and only when the
// page was opened with ?debug=1. Production pages stay silent.

const enabled = new URLSearchParams(location.search).get('debug') === '1';

/** debug logs its arguments when ?debug=1 is set, and does nothing otherwise. */
export function debug(...args) {
  if (enabled) console.debug('[golf]', ...args);
}
