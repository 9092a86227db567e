/**
 * Go-style formatting helpers, so the runner's messages match the kubelet's byte for byte
 * (spec §5): `%q` quoting, `%v` of a string slice, the pod description of
 * `pkg/kubelet/util/format/pod.go`, and turning any thrown value into an error text.
 *
 * @module
 */
import type { Pod } from '../spec/types.js';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/**
 * Go's `strconv.Quote` (what `fmt`'s `%q` does with a string): double quotes, `\"` and `\\`,
 * the short escapes `\a \b \f \n \r \t \v`, `\xNN` for other ASCII control bytes, `\uNNNN` /
 * `\UNNNNNNNN` for non-printable runes (lower-case hex, as Go). Printable Unicode (letters, marks,
 * numbers, punctuation, symbols, and the ASCII space) is kept as is. A lone UTF-16 surrogate (not
 * valid Unicode, so it would reach Go as U+FFFD after UTF-8 encoding) is written as `\uFFFD` itself.
 *
 * @example goQuote('a"b\n') === '"a\\"b\\n"'
 */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
      default: break;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) { out += '\ufffd'; continue; }
    if (cp === 0x20 || (cp > 0x20 && cp < 0x7f)) { out += ch; continue; }
    if (cp < 0x80) { out += `\\x${hex(cp, 2)}`; continue; }
    if (PRINTABLE.test(ch)) { out += ch; continue; }
    out += cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** Go's `%v` of a `[]string`: `[a b c]` (elements joined by one space; `[]` when empty). */
export function goStringSlice(values: readonly unknown[]): string {
  return `[${values.map((v) => String(v)).join(' ')}]`;
}

/**
 * The kubelet's pod description `<name>_<namespace>(<uid>)` (`format.Pod`), used in every
 * handler failure message. Missing metadata renders as empty strings, as Go's zero values.
 *
 * @example formatPodDesc({ metadata: { name: 'web', namespace: 'default', uid: 'u1' } }) === 'web_default(u1)'
 */
export function formatPodDesc(pod: Pod | null | undefined): string {
  if (pod === null || pod === undefined) return '<nil>';
  const meta = pod.metadata ?? {};
  return `${meta.name ?? ''}_${meta.namespace ?? ''}(${meta.uid ?? ''})`;
}

/**
 * The text of anything an adapter threw or rejected with: an `Error`'s message, a string as is,
 * another object's string `message`, else `String(value)`. Never throws, whatever it is given
 * (hostile getters, `Object.create(null)`, revoked proxies).
 */
export function describeError(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    if (value !== null && typeof value === 'object') {
      const message = (value as { message?: unknown }).message;
      if (typeof message === 'string' && message !== '') return message;
    }
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return 'unknown error';
    }
  }
}

/** A short rendering of an unexpected value for error texts: strings Go-quoted, others `String()`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  return describeError(value);
}
