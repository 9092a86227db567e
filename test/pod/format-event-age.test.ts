import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatEventAge, humanDuration } from '../../src/pod/format-event-age.js';

describe('humanDuration (spec pod §7.3, apimachinery duration.HumanDuration)', () => {
  it('renders the spec examples', () => {
    const cases: Array<[number, string]> = [
      [-2_000, '<invalid>'],
      [-1_500, '0s'],
      [0, '0s'],
      [60_000, '60s'],
      [75_000, '75s'],
      [119_999, '119s'],
      [120_000, '2m'],
      [125_000, '2m5s'],
      [600_000, '10m'],
      [179 * 60_000, '179m'],
      [(3 * 60 + 5) * 60_000, '3h5m'],
      [8 * 3_600_000, '8h'],
      [49 * 3_600_000, '2d1h'],
      [48 * 3_600_000, '2d'],
      [10 * 24 * 3_600_000, '10d'],
      [(3 * 365 + 10) * 24 * 3_600_000, '3y10d'],
      [9 * 365 * 24 * 3_600_000, '9y'],
    ];
    expect(cases.map(([ms]) => humanDuration(ms))).toEqual(cases.map(([, text]) => text));
  });

  propTest.prop([fc.integer({ min: 0, max: 119_999 })])('below 120 s it is always whole seconds, never 1m', (ms) => {
    expect(humanDuration(ms)).toBe(`${Math.trunc(ms / 1000)}s`);
  });
});

describe('formatEventAge (spec pod §7.3)', () => {
  it('renders "38s (x2 over 75s)", never "over 1m"', () => {
    expect(formatEventAge({ count: 2, firstTimestamp: 0, lastTimestamp: 37_000 }, 75_000)).toBe('38s (x2 over 75s)');
  });

  it('a single event shows its first age; timestamps are truncated to whole seconds like metav1.Time', () => {
    expect(formatEventAge({ count: 1, firstTimestamp: 10_900, lastTimestamp: 10_900 }, 20_500)).toBe('10s');
    expect(formatEventAge({ count: 1, firstTimestamp: undefined, lastTimestamp: undefined }, 0)).toBe('<unknown>');
  });

  it("a missing timestamp prints <unknown> in its own place, as kubectl's translateTimestampSince (spec pod §7.3)", () => {
    expect(formatEventAge({ count: 3, firstTimestamp: undefined, lastTimestamp: 37_000 }, 75_000)).toBe(
      '38s (x3 over <unknown>)',
    );
    expect(formatEventAge({ count: 3, firstTimestamp: 0, lastTimestamp: undefined }, 75_000)).toBe(
      '<unknown> (x3 over 75s)',
    );
  });
});
