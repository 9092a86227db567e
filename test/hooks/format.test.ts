// Go formatting helpers behind the spec §5 messages.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { describeError, formatPodDesc, goQuote, goStringSlice } from '../../src/hooks/index.js';

describe('goQuote = Go strconv.Quote / %q', () => {
  it.each([
    ['', '""'],
    ['plain text', '"plain text"'],
    ['say "hi"\\', '"say \\"hi\\"\\\\"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\u0000\u001b\u007f', '"\\x00\\x1b\\x7f"'],
    ['héllo 世界 ✓', '"héllo 世界 ✓"'],
    ['nbsp\u00a0zwsp\u200b', '"nbsp\\u00a0zwsp\\u200b"'],
    ['\u{1F600}', '"\u{1F600}"'],
    ['\u{E0001}', '"\\U000e0001"'],
    ['lone \ud800', '"lone \ufffd"'],
  ])('%j → %s', (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });

  test.prop([fc.string({ unit: 'grapheme-ascii' })])(
    'printable ASCII without quotes or backslashes is only wrapped',
    (s) => {
      const clean = s.replace(/["\\]/g, '');
      expect(goQuote(clean)).toBe(`"${clean}"`);
    },
  );

  test.prop([fc.string({ unit: 'binary' })])('output is one line and starts and ends with a quote', (s) => {
    const quoted = goQuote(s);
    expect(quoted).not.toMatch(/[\n\r\u0000]/);
    expect(quoted.startsWith('"') && quoted.endsWith('"')).toBe(true);
  });
});

describe('other helpers', () => {
  it('goStringSlice is Go %v of []string', () => {
    expect(goStringSlice(['a', 'b c', ''])).toBe('[a b c ]');
    expect(goStringSlice([])).toBe('[]');
  });
  it('formatPodDesc is <name>_<namespace>(<uid>)', () => {
    expect(formatPodDesc({ metadata: { name: 'web', namespace: 'default', uid: 'u-1' } })).toBe('web_default(u-1)');
    expect(formatPodDesc({})).toBe('_()');
    expect(formatPodDesc(undefined)).toBe('<nil>');
  });
  it.each<[unknown, string]>([
    [new Error('boom'), 'boom'],
    [new TypeError(''), 'TypeError'],
    ['text', 'text'],
    [42, '42'],
    [undefined, 'undefined'],
    [null, 'null'],
    [{ message: 'shaped' }, 'shaped'],
    [Symbol('s'), 'Symbol(s)'],
  ])('describeError(%s) → %j', (value, expected) => {
    expect(describeError(value)).toBe(expected);
  });
});
