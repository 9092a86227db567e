/**
 * Port of the duration-formatting tests behind `kubectl describe` and the CrashLoopBackOff message:
 *
 * - apimachinery `pkg/util/duration/duration_test.go` (`TestHumanDuration`,
 *   `TestHumanDurationBoundaries`; stored kubernetes/kubernetes copy 008b3652, whose `duration.go`
 *   is the one spec pod §7.3 [DUR] describes) against {@link humanDuration};
 * - kubectl `pkg/cmd/events/events_test.go` (`TestEventIsSorted`): its Age column goes through the
 *   same `getInterval` as `DescribeEvents` (spec pod §7.3), against {@link formatEventAge};
 * - Go `src/time/time_test.go` `durationTests` (`TestDurationString`) against
 *   {@link goDurationString}, the `<d>` of `back-off <d> restarting failed container=…` (spec pod §4.4).
 *
 * Go durations are nanoseconds, ours milliseconds: `1` ns is `1e-6` ms. Cases outside our functions'
 * documented domain (ShortHumanDuration, sub-millisecond and negative Go durations) are not ported.
 */

import { describe, expect, it } from 'vitest';
import { goDurationString } from '../../src/api/go-format.js';
import { formatEventAge, humanDuration } from '../../src/pod/format-event-age.js';

const ns = 1e-6;
const ms = 1;
const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

type Row = [goDuration: string, durationMs: number, want: string];

describe('apimachinery TestHumanDuration (spec pod §7.3)', () => {
  const rows: Row[] = [
    ['time.Second', second, '1s'],
    ['70 * time.Second', 70 * second, '70s'],
    ['190 * time.Second', 190 * second, '3m10s'],
    ['70 * time.Minute', 70 * minute, '70m'],
    ['47 * time.Hour', 47 * hour, '47h'],
    ['49 * time.Hour', 49 * hour, '2d1h'],
    ['(8*24 + 2) * time.Hour', (8 * 24 + 2) * hour, '8d'],
    ['(367 * 24) * time.Hour', 367 * 24 * hour, '367d'],
    ['(365*2*24 + 25) * time.Hour', (365 * 2 * 24 + 25) * hour, '2y1d'],
    ['(365*8*24 + 2) * time.Hour', (365 * 8 * 24 + 2) * hour, '8y'],
  ];
  it.each(rows)('TestHumanDuration case %s (%s ms) → %s (spec pod §7.3)', (_go, durationMs, want) => {
    expect(humanDuration(durationMs)).toBe(want);
  });
});

describe('apimachinery TestHumanDurationBoundaries (spec pod §7.3)', () => {
  const day = 24 * hour;
  const year = 365 * day;
  const rows: Row[] = [
    ['-2 * time.Second', -2 * second, '<invalid>'],
    ['-2*time.Second + 1', -2 * second + ns, '0s'],
    ['0', 0, '0s'],
    ['time.Second - time.Millisecond', second - ms, '0s'],
    ['2*time.Minute - time.Millisecond', 2 * minute - ms, '119s'],
    ['2 * time.Minute', 2 * minute, '2m'],
    ['2*time.Minute + time.Second', 2 * minute + second, '2m1s'],
    ['10*time.Minute - time.Millisecond', 10 * minute - ms, '9m59s'],
    ['10 * time.Minute', 10 * minute, '10m'],
    ['10*time.Minute + time.Second', 10 * minute + second, '10m'],
    ['3*time.Hour - time.Millisecond', 3 * hour - ms, '179m'],
    ['3 * time.Hour', 3 * hour, '3h'],
    ['3*time.Hour + time.Minute', 3 * hour + minute, '3h1m'],
    ['8*time.Hour - time.Millisecond', 8 * hour - ms, '7h59m'],
    ['8 * time.Hour', 8 * hour, '8h'],
    ['8*time.Hour + 59*time.Minute', 8 * hour + 59 * minute, '8h'],
    ['2*24*time.Hour - time.Millisecond', 2 * day - ms, '47h'],
    ['2 * 24 * time.Hour', 2 * day, '2d'],
    ['2*24*time.Hour + time.Hour', 2 * day + hour, '2d1h'],
    ['8*24*time.Hour - time.Millisecond', 8 * day - ms, '7d23h'],
    ['8 * 24 * time.Hour', 8 * day, '8d'],
    ['8*24*time.Hour + 23*time.Hour', 8 * day + 23 * hour, '8d'],
    ['2*365*24*time.Hour - time.Millisecond', 2 * year - ms, '729d'],
    ['2 * 365 * 24 * time.Hour', 2 * year, '2y'],
    ['2*365*24*time.Hour + 23*time.Hour', 2 * year + 23 * hour, '2y'],
    ['2*365*24*time.Hour + 23*time.Hour + 59*time.Minute', 2 * year + 23 * hour + 59 * minute, '2y'],
    ['2*365*24*time.Hour + 24*time.Hour - time.Millisecond', 2 * year + day - ms, '2y'],
    ['2*365*24*time.Hour + 24*time.Hour', 2 * year + day, '2y1d'],
    ['3 * 365 * 24 * time.Hour', 3 * year, '3y'],
    ['4 * 365 * 24 * time.Hour', 4 * year, '4y'],
    ['5 * 365 * 24 * time.Hour', 5 * year, '5y'],
    ['6 * 365 * 24 * time.Hour', 6 * year, '6y'],
    ['7 * 365 * 24 * time.Hour', 7 * year, '7y'],
    ['8*365*24*time.Hour - time.Millisecond', 8 * year - ms, '7y364d'],
    ['8 * 365 * 24 * time.Hour', 8 * year, '8y'],
    ['8*365*24*time.Hour + 364*24*time.Hour', 8 * year + 364 * day, '8y'],
    ['9 * 365 * 24 * time.Hour', 9 * year, '9y'],
  ];
  it.each(rows)('TestHumanDurationBoundaries case %s (%s ms) → %s (spec pod §7.3)', (_go, durationMs, want) => {
    expect(humanDuration(durationMs)).toBe(want);
  });
});

describe('kubectl TestEventIsSorted: the LAST SEEN / Age column (spec pod §7.3)', () => {
  // The Go fixtures are events.k8s.io-style (eventTime + series{count: 3, lastObservedTime}); kubectl's
  // getInterval renders `series` and `count > 1` with the same format and HumanDuration, so each row
  // maps to count 3, firstTimestamp = eventTime, lastTimestamp = lastObservedTime.
  const now = 10 * hour;
  const rows: Array<[row: string, firstAgoMs: number, lastAgoMs: number, want: string]> = [
    ['foo Normal bar-000', 30 * minute, 20 * minute, '20m (x3 over 30m)'],
    ['foo Warning bar-001', 28 * minute, 18 * minute, '18m (x3 over 28m)'],
    ['otherfoo Normal bar-002', 25 * minute, 15 * minute, '15m (x3 over 25m)'],
  ];
  it.each(rows)(
    'TestEventIsSorted row %s (first %s ms ago, last %s ms ago) → %s (spec pod §7.3)',
    (_row, firstAgoMs, lastAgoMs, want) => {
      expect(formatEventAge({ count: 3, firstTimestamp: now - firstAgoMs, lastTimestamp: now - lastAgoMs }, now)).toBe(
        want,
      );
    },
  );
});

describe('Go time TestDurationString: back-off <d> in the CrashLoopBackOff message (spec pod §4.4)', () => {
  // Only the durationTests rows that are whole, non-negative milliseconds (goDurationString's domain).
  const rows: Row[] = [
    ['0', 0, '0s'],
    ['3300 * Millisecond', 3300 * ms, '3.3s'],
    ['4*Minute + 5*Second', 4 * minute + 5 * second, '4m5s'],
    ['4*Minute + 5001*Millisecond', 4 * minute + 5001 * ms, '4m5.001s'],
    ['5*Hour + 6*Minute + 7001*Millisecond', 5 * hour + 6 * minute + 7001 * ms, '5h6m7.001s'],
  ];
  it.each(rows)('TestDurationString case %s (%s ms) → %s (spec pod §4.4)', (_go, durationMs, want) => {
    expect(goDurationString(durationMs)).toBe(want);
  });
});
