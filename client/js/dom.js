// dom.js — a tiny element builder, so screens are written as nested calls
// rather than HTML strings (no injection: text is always a text node).

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open', 'readOnly']);

/**
 * h builds an element. props: class, dataset, style, on<Event> handlers,
 * DOM properties (value, checked, disabled, …) and any other attribute.
 * Children may be nodes, strings, numbers, arrays, or null/false (skipped).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) { if (dv !== undefined && dv !== null) el.dataset[dk] = String(dv); }
      else if (k === 'style') el.style.cssText = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (PROPS.has(k)) el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** replace swaps the children of el for the given ones. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** $ finds one element. */
export function $(sel, root = document) {
  return root.querySelector(sel);
}

/**
 * morph makes the live element `from` look like the freshly built `to`,
 * changing only what differs. Screens are rebuilt from every view; patching
 * instead of replacing keeps the elements a player is pressing, hovering or
 * focusing, so a state frame that lands mid-click never swallows the click.
 * Children are matched by position (screens keep a stable structure); a
 * child of another kind is replaced. Listeners stay those of the first
 * build, so screens wire their controls by delegation (data-action).
 */
export function morph(from, to) {
  if (from.nodeType !== to.nodeType || from.nodeName !== to.nodeName) {
    from.replaceWith(to);
    return;
  }
  if (from.nodeType !== Node.ELEMENT_NODE) {
    if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue;
    return;
  }
  for (const { name } of [...from.attributes]) if (!to.hasAttribute(name)) from.removeAttribute(name);
  for (const { name, value } of to.attributes) if (from.getAttribute(name) !== value) from.setAttribute(name, value);
  const old = [...from.childNodes];
  const next = [...to.childNodes];
  for (let i = 0; i < next.length; i++) {
    if (i < old.length) morph(old[i], next[i]);
    else from.append(next[i]);
  }
  for (let i = next.length; i < old.length; i++) old[i].remove();
  // Form state lives in properties, not attributes.
  if (from.nodeName === 'INPUT') {
    if (from.type === 'checkbox' || from.type === 'radio') from.checked = to.checked;
    else if (from.value !== to.value && from !== document.activeElement) from.value = to.value;
  } else if (from.nodeName === 'SELECT' && from.selectedIndex !== to.selectedIndex) {
    from.selectedIndex = to.selectedIndex;
  }
}
