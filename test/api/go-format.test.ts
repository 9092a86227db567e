import { describe, expect, it } from 'vitest';
import { formatGoNumber, formatGoValue, goQuote } from '../../src/api/go-format.js';

// Expected values are what Go's fmt/strconv print (strconv.Quote, %v of int64/float64, %#v).
describe('goQuote (strconv.Quote)', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r\x07\b\f\v', '"\\n\\t\\r\\a\\b\\f\\v"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['\u0085\u00a0\u200b\u2028', '"\\u0085\\u00a0\\u200b\\u2028"'],
    ['é€ 日本 😀', '"é€ 日本 😀"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['lone \ud800 surrogate', '"lone \ufffd surrogate"'],
    ['', '""'],
  ])('quotes %j as %s', (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });
});

describe('formatGoNumber (%v of int64 / float64)', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [65536, '65536'],
    [-1, '-1'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [123456.5, '123456.5'],
    [1234567.5, '1.2345675e+06'],
    [2 ** 64, '1.8446744073709552e+19'],
    [1e21, '1e+21'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [-2.5e-7, '-2.5e-07'],
    [1e300 * 10, '1e+301'],
    [Number.NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('formats %d as %s', (input, expected) => {
    expect(formatGoNumber(input)).toBe(expected);
  });
});

describe('formatGoValue (field.Error bad values)', () => {
  it('prints nil as null and scalars like %v / %q', () => {
    expect(formatGoValue(null)).toBe('null');
    expect(formatGoValue(undefined)).toBe('null');
    expect(formatGoValue(true)).toBe('true');
    expect(formatGoValue('x')).toBe('"x"');
    expect(formatGoValue(10n)).toBe('10');
  });

  it('prints decoded JSON objects and arrays as %#v, keys sorted', () => {
    expect(formatGoValue({ b: [1, 'x', null], a: { c: false } })).toMatchInlineSnapshot(
      `"map[string]interface {}{"a":map[string]interface {}{"c":false}, "b":[]interface {}{1, "x", interface {}(nil)}}"`,
    );
    expect(formatGoValue([])).toMatchInlineSnapshot(`"[]interface {}{}"`);
  });

  it('stays bounded on cycles, depth and width', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(formatGoValue(cyclic)).toMatchInlineSnapshot(
      `"map[string]interface {}{"self":map[string]interface {}{...}}"`,
    );
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(formatGoValue(deep)).toMatchInlineSnapshot(
      `"[]interface {}{[]interface {}{[]interface {}{[]interface {}{[]interface {}{...}}}}}"`,
    );
    expect(formatGoValue(Array.from({ length: 100_000 }, (_, i) => i)).length).toBeLessThan(200);
  });

  it('never throws on hostile objects', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(formatGoValue(hostile)).toBe('<unprintable>');
    expect(formatGoValue(Symbol('s'))).toBe('"s"');
    expect(formatGoValue(() => 1)).toBe('(func())(nil)');
  });
});
