// share.js — a game's replay link: copy and share buttons (results screen,
// game history, replay page, recent games) and the visibility picker that
// says who may open it (docs/replay.md).

import { h } from './dom.js';
import { t } from './i18n.js';
import { errorMessage } from './text.js';
import { toast } from './toast.js';

/** replayURL is the absolute link to a game's replay. */
export function replayURL(id) {
  return `${location.origin}/replay/${encodeURIComponent(id)}`;
}

/**
 * shareButtons are "copy link" and, where the browser can, "share". A
 * compact pair (a table's row on a phone) says only "Copy link".
 */
export function shareButtons(id, key = 'replay', compact = false) {
  const url = replayURL(id);
  return h('span', { class: ['share-buttons', compact && 'compact'] },
    h('button', {
      type: 'button', class: 'btn btn-small', dataset: { key: `${key}-copy`, shareUrl: url },
      'aria-label': compact ? t('replay.copy_link') : null,
      onclick: () => copyLink(url),
    }, compact ? t('replay.copy_short') : t('replay.copy_link')),
    typeof navigator.share === 'function' && h('button', {
      type: 'button', class: 'btn btn-small', dataset: { key: `${key}-share` },
      onclick: () => navigator.share({ title: t('replay.share_title'), url }).catch(() => {}),
    }, t('replay.share')));
}

async function copyLink(url) {
  try {
    await navigator.clipboard.writeText(url);
  } catch {
    const input = h('textarea', { style: 'position:fixed;opacity:0' }, url);
    document.body.append(input);
    input.select();
    try { document.execCommand('copy'); } catch { /* the toast still shows the link */ }
    input.remove();
  }
  toast(t('replay.link_copied'));
}

/** visibilityPicker lets a game's player (or importer) choose who may open its link. */
export function visibilityPicker(id, current, onChange) {
  return h('label', { class: 'replay-visibility' }, t('replay.visibility'), ' ',
    h('select', {
      dataset: { key: 'visibility' },
      onchange: async (e) => {
        const v = e.target.value;
        try {
          const res = await fetch(`/api/games/${id}/visibility`, {
            method: 'PUT', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify({ visibility: v }),
          });
          const body = await res.json().catch(() => ({}));
          if (!res.ok) throw Object.assign(new Error(body.message), { code: body.code });
          toast(t(`visibility.saved.${v}`));
          onChange?.(v);
        } catch (err) {
          toast(errorMessage({ code: err.code || 'unknown', message: err.message }));
        }
      },
    }, ['public', 'unlisted', 'private'].map((v) => h('option', { value: v, selected: v === current }, t(`visibility.${v}`)))));
}

