import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../src/hooks/events.js';
import { aggregateEvents, COMBINED_EVENT_PREFIX } from '../../src/pod/aggregate-events.js';

const ev = (reason: string, message: string, timestamp: number, extra: Partial<KubeEvent> = {}): KubeEvent => ({
  type: 'Normal',
  reason,
  message,
  object: { kind: 'Container', name: 'app', namespace: 'default', fieldPath: 'spec.containers{app}', podName: 'web' },
  timestamp,
  ...extra,
});

describe('aggregateEvents (spec pod §7.2, client-go EventCorrelator)', () => {
  it('identical events fold into one row with count, firstTimestamp, lastTimestamp; rows by lastTimestamp', () => {
    const rows = aggregateEvents([
      ev('Started', 'Container started', 0),
      ev('Killing', 'FailedPostStartHook', 1_000),
      ev('Started', 'Container started', 5_000),
      ev('Killing', 'FailedPostStartHook', 6_000),
      ev('Pulled', 'x', 6_000),
    ]);
    expect(rows.map((r) => [r.reason, r.count, r.firstTimestamp, r.lastTimestamp])).toEqual([
      ['Started', 2, 0, 5_000],
      ['Killing', 2, 1_000, 6_000],
      ['Pulled', 1, 6_000, 6_000],
    ]);
  });

  it('different fieldPath, type or message are different rows', () => {
    const other = {
      kind: 'Container' as const,
      name: 'side',
      namespace: 'default',
      fieldPath: 'spec.initContainers{side}',
      podName: 'web',
    };
    const rows = aggregateEvents([
      ev('Killing', 'Stopping container app', 0),
      ev('Killing', 'Stopping container app', 0, { object: other }),
      ev('Killing', 'Stopping container app', 0, { type: 'Warning' }),
    ]);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.count === 1)).toBe(true);
  });

  it('the 10th distinct message of one (object, type, reason) is combined; later ones update that row', () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      ev('Unhealthy', `probe failed ${i}`, i * 1000, { type: 'Warning' }),
    );
    const rows = aggregateEvents(events);
    expect(rows).toHaveLength(10); // 9 plain, 1 combined
    const combined = rows.filter((r) => r.message.startsWith(COMBINED_EVENT_PREFIX));
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({
      count: 3,
      firstTimestamp: 9_000,
      lastTimestamp: 11_000,
      message: `${COMBINED_EVENT_PREFIX}probe failed 11`,
    });
  });

  it('the aggregator forgets a bucket idle for more than 600 s (sliding window)', () => {
    const events = [
      ...Array.from({ length: 9 }, (_, i) => ev('Unhealthy', `m${i}`, i * 1000)),
      ev('Unhealthy', 'late', 8_000 + 600_001),
    ];
    expect(aggregateEvents(events).some((r) => r.message.startsWith(COMBINED_EVENT_PREFIX))).toBe(false);
  });

  it('spam filter: 25 per object and type, then one per 300 s; counting continues so a later write jumps', () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      ev('BackOff', 'Back-off restarting failed container app in pod web_default(u)', i, { type: 'Warning' }),
    );
    events.push(
      ev('BackOff', 'Back-off restarting failed container app in pod web_default(u)', 300_100, { type: 'Warning' }),
    );
    const rows = aggregateEvents(events);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 31, lastTimestamp: 300_100 });
    expect(aggregateEvents(events.slice(0, 30))[0]?.count).toBe(25);
    expect(aggregateEvents(events.slice(0, 30), { spamFilter: false })[0]?.count).toBe(30);
  });
});
