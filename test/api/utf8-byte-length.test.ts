import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { utf8ByteLength } from '../../src/api/validate-port.js';

const encoder = new TextEncoder();

describe('utf8ByteLength (Go len(s) of a name, spec §2 rule 3)', () => {
  test.prop([fc.string({ unit: 'binary' })])('counts what TextEncoder encodes, for any string', (value) => {
    expect(utf8ByteLength(value)).toBe(encoder.encode(value).length);
  });

  test.prop([fc.array(fc.constantFrom('a', 'é', '€', '😀', '\uD800', '\uDC00', '\uDBFF\uDFFF', '-'))])(
    'counts surrogate pairs, lone surrogates and multi-byte units as TextEncoder does',
    (parts) => {
      const value = parts.join('');
      expect(utf8ByteLength(value)).toBe(encoder.encode(value).length);
    },
  );

  test('a few fixed lengths', () => {
    expect([utf8ByteLength(''), utf8ByteLength('abc'), utf8ByteLength('é'), utf8ByteLength('😀')]).toEqual([
      0, 3, 2, 4,
    ]);
    expect(utf8ByteLength('\uD800x')).toBe(4); // lone high surrogate (U+FFFD, 3 bytes) then 'x'
  });
});
