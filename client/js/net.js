// net.js — the one WebSocket to the server (docs/protocol.md). It sends the
// session's first frame on every (re)connect, numbers commands so errors and
// acks can be matched, and reconnects by itself: with backoff after a drop,
// after a short jittered pause when the server restarts (close 1012), and
// never after a normal close (1000: left, or the seat was taken back on
// another connection), a closed room (1001) or a policy close (1008).

import { complete } from './keep.js';
import { debug } from './log.js';

export const PROTOCOL_VERSION = 1;

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10000;
const RESTART_MIN_MS = 400;
const RESTART_SPREAD_MS = 1600;

/** wsURL is the WebSocket endpoint on the page's own host. */
export function wsURL(loc = location) {
  return (loc.protocol === 'https:' ? 'wss://' : 'ws://') + loc.host + '/ws';
}

/**
 * Connection keeps a session with the server alive.
 *
 * hello() returns the first frame to send on each connect (create, join,
 * resume or watch): the caller switches it to resume once it has a token.
 * onFrame(frame) gets every server frame; onStatus(status, detail) hears
 * 'connecting', 'open', 'reconnecting' (with the delay in ms) and 'closed'
 * (with {code, reason}).
 */
export class Connection {
  constructor({ url = wsURL(), hello, onFrame, onStatus }) {
    this.url = url;
    this.hello = hello;
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.ws = null;
    this.nextID = 1;
    this.attempt = 0;
    this.timer = 0;
    this.stopped = false;
    this.paused = false;
    this.onOnline = () => { if (this.timer) this.reconnectNow(); };
    window.addEventListener('online', this.onOnline);
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = 0;
    this.onStatus?.(this.attempt === 0 ? 'connecting' : 'reconnecting', 0);
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      debug('websocket', err);
      this.retry(this.backoff());
      return;
    }
    this.ws = ws;
    // The previous state frame on this connection, complete: the next one
    // may keep some of its members (keep.js).
    let last = null;
    ws.onopen = () => {
      const first = this.hello();
      debug('→', first);
      ws.send(JSON.stringify({ v: PROTOCOL_VERSION, ...first }));
    };
    ws.onmessage = (ev) => {
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        debug('unparseable frame', ev.data);
        return;
      }
      debug('←', frame.type, frame);
      if (frame.type === 'welcome') {
        last = null;
        this.attempt = 0;
        this.onStatus?.('open');
      }
      if (frame.type === 'state') {
        const full = complete(frame, last);
        if (!full) {
          // Cannot happen with a server that keeps the protocol; the
          // complete frame after the next welcome repairs it.
          debug('state frame keeps what this connection was not sent', frame);
          if (this.ws === ws) this.bounce();
          return;
        }
        last = full;
      }
      this.onFrame(frame);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      debug('closed', ev.code, ev.reason);
      if (this.stopped) return;
      switch (ev.code) {
        case 1008:
          // A missed pong is the network, not a verdict: come back.
          if (ev.reason === 'no pong') break;
        // falls through
        case 1000: // we left, or the seat moved to another connection
        case 1001: // the room closed
          this.stopped = true;
          this.onStatus?.('closed', { code: ev.code, reason: ev.reason });
          return;
        case 1012:
          this.retry(RESTART_MIN_MS + Math.random() * RESTART_SPREAD_MS);
          return;
      }
      this.retry(this.backoff());
    };
  }

  /** backoff is the next delay: exponential, capped, with full jitter. */
  backoff() {
    const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    this.attempt++;
    return BACKOFF_MIN_MS / 2 + Math.random() * cap;
  }

  retry(ms) {
    if (this.attempt === 0) this.attempt = 1;
    this.onStatus?.('reconnecting', ms);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), ms);
  }

  /** reconnectNow skips the wait (the user pressed "retry now"). */
  reconnectNow() {
    if (this.stopped || this.paused || this.ws) return;
    this.connect();
  }

  /** bounce drops the connection and reconnects after the usual backoff. */
  bounce() {
    if (this.stopped || !this.ws) return;
    const ws = this.ws;
    this.ws = null;
    try { ws.close(4000, 'retry'); } catch { /* already closing */ }
    this.retry(this.backoff());
  }

  /**
   * pause closes the connection while the page sits in the browser's
   * back/forward cache, where it could answer nothing: the server then
   * counts the seat as gone (and may play for it) instead of waiting for
   * missed pongs. resume reconnects when the page is shown again.
   */
  pause() {
    if (this.stopped || this.paused) return;
    this.paused = true;
    clearTimeout(this.timer);
    this.timer = 0;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      try { ws.close(1000, 'page hidden'); } catch { /* already closing */ }
    }
  }

  resume() {
    if (this.stopped || !this.paused) return;
    this.paused = false;
    this.connect();
  }

  /** open reports whether frames can be sent now. */
  get open() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  /** send sends a command and returns its id, or 0 if not connected. */
  send(type, fields = {}) {
    if (!this.open) return 0;
    const id = this.nextID++;
    const frame = { v: PROTOCOL_VERSION, id, type, ...fields };
    debug('→', frame);
    this.ws.send(JSON.stringify(frame));
    return id;
  }

  /** stop closes for good: no reconnect. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      try { ws.close(1000, 'bye'); } catch { /* already closing */ }
    }
  }
}
