/**
 * Port, port-name, HTTP-header-name and DNS-label checks of apimachinery
 * `util/validation/validation.go` [VU] (spec §2 rules 3 and 4), with their exact messages.
 *
 * @module
 */
import { type FieldError, invalid, typeInvalid } from './field-error.js';
import { integerProblem, TYPE_DETAIL } from './input-reader.js';

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Go's `len(s)`: the UTF-8 byte length, as `new TextEncoder().encode(value).length` counts it (a
 * lone surrogate is U+FFFD, 3 bytes), without encoding (names are checked on every pod validated).
 */
export function utf8ByteLength(value: string): number {
  let bytes = value.length;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      bytes += 2; // a surrogate pair: 4 bytes for its two units
      i++;
    } else bytes += 2; // 3 bytes: the rest of the BMP, and a lone surrogate (U+FFFD)
  }
  return bytes;
}

/** `validation.MaxLenError`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `validation.InclusiveRangeError`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** `validation.RegexError`: `<msg> (e.g. 'a' or 'b', regex used for validation is '<fmt>')`. */
export function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  // Go appends "'x', " per example and " or " between them, hence the double space before "or".
  return `${message} (e.g. ${examples.map((example) => `'${example}', `).join(' or ')}regex used for validation is '${format}')`;
}

/** `validation.IsValidPortNum`: `[]` when 1 ≤ port ≤ 65535. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

const PORT_NAME_CHARSET = /^[-a-z0-9]+$/;
const PORT_NAME_ONE_LETTER = /[a-z]/;

/**
 * `validation.IsValidPortName` (an IANA_SVC_NAME): every problem, in Go's order — at most 15
 * bytes, only `[-a-z0-9]`, at least one letter, no `--`, no leading or trailing `-`.
 */
export function isValidPortName(port: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(port) > 15) errors.push(maxLenError(15));
  if (!PORT_NAME_CHARSET.test(port))
    errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!PORT_NAME_ONE_LETTER.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errors.push('must not begin or end with a hyphen');
  return errors;
}

const HTTP_HEADER_NAME_FMT = '[-A-Za-z0-9]+';
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;

/** `validation.IsHTTPHeaderName`. */
export function isHTTPHeaderName(name: string): string[] {
  if (HTTP_HEADER_NAME.test(name)) return [];
  return [
    regexError(
      "a valid HTTP header must consist of alphanumeric characters or '-'",
      HTTP_HEADER_NAME_FMT,
      'X-Header-Name',
    ),
  ];
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*$`);

/** `validation.IsDNS1123Label` (container names): at most 63 bytes, lower-case RFC 1123 label. */
export function isDNS1123Label(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > 63) errors.push(maxLenError(63));
  if (!DNS1123_LABEL.test(value)) {
    if (DNS1123_SUBDOMAIN.test(value)) errors.push('must not contain dots');
    else {
      errors.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
    }
  }
  return errors;
}

/**
 * `validation.IsDNS1123Subdomain` (object names such as a pod's `metadata.name`): at most 253
 * bytes, lower-case RFC 1123 labels joined by dots.
 */
export function isDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > 253) errors.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`,
        'example.com',
      ),
    );
  }
  return errors;
}

/**
 * {@link isValidPortName} is empty: the same checks without building the list (for the happy
 * path, `validate-fast.ts`).
 */
export function isValidPortNameValid(port: string): boolean {
  return (
    utf8ByteLength(port) <= 15 &&
    PORT_NAME_CHARSET.test(port) &&
    PORT_NAME_ONE_LETTER.test(port) &&
    !port.includes('--') &&
    !port.startsWith('-') &&
    !port.endsWith('-')
  );
}

/** {@link isHTTPHeaderName} is empty, without building the list. */
export function isHTTPHeaderNameValid(name: string): boolean {
  return HTTP_HEADER_NAME.test(name);
}

/** {@link isDNS1123Label} is empty, without building the list. */
export function isDNS1123LabelValid(value: string): boolean {
  return utf8ByteLength(value) <= 63 && DNS1123_LABEL.test(value);
}

/** `maskTrailingDash`: a generateName prefix may end in `-` (the random suffix follows). */
export function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** {@link isDNS1123Subdomain} is empty, without building the list. */
export function isDNS1123SubdomainValid(value: string): boolean {
  return utf8ByteLength(value) <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/**
 * {@link validatePortNumOrName} reports nothing for a set `port`: an integer 1..65535 or a valid
 * port name. `false` for an unset port too (`Required` where a port is required).
 */
export function isPortValid(port: unknown): boolean {
  if (typeof port === 'number') return integerProblem(port) === undefined && port >= 1 && port <= 65535;
  return typeof port === 'string' && isValidPortNameValid(port);
}

/**
 * `ValidatePortNumOrName` for an `IntOrString` port (spec §2 rules 3–4): an integer must be
 * 1..65535; a string must be a valid port name (one `Invalid` per problem, same path). Any other
 * type, a non-integer or an unsafe integer is a `FieldValueTypeInvalid`.
 */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') {
    const problem = integerProblem(port);
    if (problem !== undefined) return [typeInvalid(path, port, problem)];
    return isValidPortNum(port).map((message) => invalid(path, port, message));
  }
  if (typeof port === 'string') return isValidPortName(port).map((message) => invalid(path, port, message));
  return [typeInvalid(path, port, TYPE_DETAIL.intOrString)];
}
