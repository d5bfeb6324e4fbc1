// i18n.js — the words of the client in the player's language. Every string
// a player reads comes from a translation file, client/i18n/<lang>.json: a
// flat object of keys, each a string with {name} placeholders, or for a
// count an object of plural forms ({"one": "…", "other": "…"}, the
// categories of Intl.PluralRules). English is loaded too, so a key missing
// from a translation still shows English (client_test.go checks none is).

import { debug } from './log.js';

/** LANGUAGES are the translations there are, by code, each named in itself. */
export const LANGUAGES = { en: 'English', es: 'Español' };

const FALLBACK = 'en';

let current = FALLBACK;
let words = {};
let english = {};
let plural = new Intl.PluralRules(FALLBACK);
let ordinals = new Intl.PluralRules(FALLBACK, { type: 'ordinal' });

/**
 * pickLanguage chooses the language: the one the player picked (stored),
 * else the first of the browser's languages there is a translation for.
 */
export function pickLanguage(stored, browser = navigator.languages ?? [navigator.language]) {
  if (stored && LANGUAGES[stored]) return stored;
  for (const tag of browser ?? []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES[base]) return base;
  }
  return FALLBACK;
}

async function fetchWords(lang) {
  const res = await fetch(`/i18n/${lang}.json`);
  if (!res.ok) throw new Error(`/i18n/${lang}.json: HTTP ${res.status}`);
  return res.json();
}

/** setLanguage loads a language's words (and English beneath them). */
export async function setLanguage(lang) {
  if (!LANGUAGES[lang]) lang = FALLBACK;
  try {
    if (!Object.keys(english).length) english = await fetchWords(FALLBACK);
    words = lang === FALLBACK ? english : await fetchWords(lang);
  } catch (err) {
    debug('i18n', err);
    words = english;
    lang = FALLBACK;
  }
  current = lang;
  plural = new Intl.PluralRules(lang);
  ordinals = new Intl.PluralRules(lang, { type: 'ordinal' });
  document.documentElement.lang = lang;
  translateStatic(document);
  return lang;
}

/** language is the code of the language in use. */
export function language() {
  return current;
}

function lookup(key) {
  const s = words[key] ?? english[key];
  if (s === undefined) debug('no words for', key);
  return s;
}

function form(s, params, rules = plural) {
  if (s && typeof s === 'object') return s[rules.select(Number(params.count ?? params.n ?? 0))] ?? s.other;
  return s;
}

/** has reports whether there are words for key. */
export function has(key) {
  return key in words || key in english;
}

/**
 * t is the text of key with {name} placeholders filled from params; a key
 * whose words have plural forms picks one by params.count.
 */
export function t(key, params = {}) {
  const s = form(lookup(key), params);
  if (typeof s !== 'string') return key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

/**
 * tx is t for text with elements in it: a placeholder whose value is a
 * Node is kept as that node. It returns a list for dom.js's h().
 */
export function tx(key, params = {}) {
  const s = form(lookup(key), params);
  if (typeof s !== 'string') return [key];
  return s.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const m = part.match(/^\{(\w+)\}$/);
    return m && m[1] in params ? params[m[1]] : part;
  });
}

/** ordinal is "1st" / "1.º": key's ordinal form for n. */
export function ordinal(key, n) {
  const s = form(lookup(key), { n }, ordinals);
  return typeof s === 'string' ? s.replace('{n}', String(n)) : String(n);
}

/**
 * serverText is the translation of a text the server sends in English (an
 * option's name or description, under key), or that English text when the
 * language has none: the English words come from the server, not from here.
 */
export function serverText(key, english) {
  if (current === FALLBACK) return english;
  const s = words[key];
  return typeof s === 'string' ? s : english;
}

/** list joins words the language's way: "Ann, Bob and Cy", "Ann, Bob y Cy". */
export function list(items) {
  return new Intl.ListFormat(listLocale(), { type: 'conjunction' }).format(items.map(String));
}

// English lists are written without the serial comma ("Ann, Bob and Cy").
function listLocale() {
  return current === 'en' ? 'en-GB' : current;
}

/** orList joins choices the language's way: "a, b or c". */
export function orList(items) {
  return new Intl.ListFormat(listLocale(), { type: 'disjunction' }).format(items.map(String));
}

/**
 * translateStatic fills the page's own text (index.html): an element with
 * data-i18n gets its text, one with data-i18n-label its aria-label.
 */
export function translateStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
