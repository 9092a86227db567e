/**
 * Go `fmt` value printing, as the API server uses it inside `field.Error` messages
 * (apimachinery `util/validation/field/errors.go`, `ErrorBody`): `%q` for strings, `%v` for
 * numbers and booleans, `%#v` for anything else. Pure and total: never throws, never loops.
 *
 * @module
 */

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols, and the ASCII space only.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const HEX = '0123456789abcdef';

function hex(value: number, width: number): string {
  let out = '';
  for (let shift = (width - 1) * 4; shift >= 0; shift -= 4) out += HEX[(value >>> shift) & 0xf];
  return out;
}

const PLAIN_RUN = /[\x20\x21\x23-\x5b\x5d-\x7e]+/y;

/**
 * Quotes a string exactly as Go's `strconv.Quote` (and so `fmt`'s `%q`) does: short escapes
 * (`\n`, `\t`, …), `\xNN` for other control bytes and DEL, `\uNNNN` / `\UNNNNNNNN` for other
 * non-printable code points, printable Unicode kept as is. Lone UTF-16 surrogates (impossible in
 * Go's UTF-8 strings) print as U+FFFD, which is what Go's JSON decoder turns them into.
 *
 * @example goQuote('a"b\n') === '"a\\"b\\n"'
 */
export function goQuote(value: string): string {
  let out = '"';
  let i = 0;
  while (i < value.length) {
    // Runs of printable ASCII other than `"` and `\` are copied whole (linear on large outputs).
    PLAIN_RUN.lastIndex = i;
    const run = PLAIN_RUN.exec(value);
    if (run !== null) {
      out += run[0];
      i += run[0].length;
      continue;
    }
    let cp = value.codePointAt(i) ?? 0xfffd;
    i += cp > 0xffff ? 2 : 1;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    const short = SHORT_ESCAPES[cp];
    if (short !== undefined) out += short;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp === 0x20 || PRINTABLE.test(String.fromCodePoint(cp))) out += String.fromCodePoint(cp);
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/**
 * Formats a number as Go prints it with `%v`: safe integers as `int64` (bare decimal); anything
 * else as a `float64` (`strconv.FormatFloat(f, 'g', -1, 64)`: shortest round-trip digits, exponent
 * form `d.ddde±XX` when the decimal exponent is < -4 or >= 6 — unlike JavaScript's 21), or
 * `+Inf`, `-Inf`, `NaN`.
 *
 * @example formatGoNumber(1.5) === '1.5'; formatGoNumber(2 ** 64) === '1.8446744073709552e+19'
 */
export function formatGoNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isSafeInteger(value)) return String(value === 0 ? 0 : value);
  const negative = value < 0;
  // toExponential() with no argument yields the shortest round-trip digits, as Go's shortest mode.
  const [mantissa = '0', expText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  let text: string;
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const absExp = Math.abs(exp);
    text = `${digits[0] ?? '0'}${frac}e${exp < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
  } else if (exp < 0) {
    text = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const fracPart = digits.slice(exp + 1);
    text = fracPart.length > 0 ? `${intPart}.${fracPart}` : intPart;
  }
  return negative ? `-${text}` : text;
}

const MAX_DEPTH = 4;
const MAX_ENTRIES = 20;

function sharpV(value: unknown, depth: number, seen: Set<object>): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  switch (typeof value) {
    case 'string':
      return goQuote(value);
    case 'number':
      return formatGoNumber(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'symbol':
      return goQuote(value.description ?? '');
    case 'function':
      return '(func())(nil)';
    default:
      break;
  }
  const object = value as object;
  if (depth >= MAX_DEPTH || seen.has(object))
    return Array.isArray(object) ? '[]interface {}{...}' : 'map[string]interface {}{...}';
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const items = object.slice(0, MAX_ENTRIES).map((item: unknown) => sharpV(item, depth + 1, seen));
      if (object.length > MAX_ENTRIES) items.push('...');
      return `[]interface {}{${items.join(', ')}}`;
    }
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'null' : goQuote(object.toISOString());
    // Go prints map keys sorted.
    const keys = Object.keys(object).sort();
    const entries = keys
      .slice(0, MAX_ENTRIES)
      .map((key) => `${goQuote(key)}:${sharpV((object as Record<string, unknown>)[key], depth + 1, seen)}`);
    if (keys.length > MAX_ENTRIES) entries.push('...');
    return `map[string]interface {}{${entries.join(', ')}}`;
  } finally {
    seen.delete(object);
  }
}

/**
 * Prints a field error's bad value the way `field.Error.ErrorBody` does: `null` for nil, strings
 * `%q`, numbers and booleans `%v`, and decoded-JSON objects/arrays as Go's `%#v` of
 * `map[string]interface {}` / `[]interface {}` (keys sorted). Objects nested deeper than 4 levels,
 * cycles, and lists past 20 entries are elided with `...` so the output stays bounded.
 *
 * @example formatGoValue(null) === 'null'; formatGoValue({ a: [1] }) === 'map[string]interface {}{"a":[]interface {}{1}}'
 */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  try {
    return sharpV(value, 0, new Set());
  } catch {
    return '<unprintable>';
  }
}

/**
 * Go's `time.Duration.String()` for whole milliseconds ≥ 0: `10s`, `1m20s`, `5m0s`, `1h0m0s`,
 * `1.5s`, `500ms`, `0s`.
 */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds - hours * 3600) / 60);
  const seconds = Number((totalSeconds - hours * 3600 - minutes * 60).toFixed(3));
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
