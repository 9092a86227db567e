/**
 * Port of client-go `tools/record/events_cache_test.go` (newest stored kubernetes/kubernetes copy,
 * id 285862761: `k8s.io/utils/clock/testing`, `ReportingController` in `validateEvent`) against
 * {@link aggregateEvents}, which replays the `EventCorrelator` over an event list (spec pod §7.2).
 *
 * Mapping:
 * - One Go correlator run (previous events, then the new one) is one `aggregateEvents` call. The
 *   correlator's result for the new event is the row that event wrote (`lastTimestamp` = its
 *   timestamp); `Skip: true` means the new event changed no row.
 * - The Go tests drive a `SimpleIntervalClock` that steps `interval` on every `Now()`. Each event
 *   reads it three times (the test's timestamp, `EventAggregate`, the spam limiter's `TryAccept`), so
 *   at every stage consecutive events are `3 × interval` apart: event i is at `base + 3·i·interval`.
 * - Go's `makeObjectReference` is a Pod with `fieldPath: spec.containers{mycontainer}`: here a
 *   container ref `{ kind: 'Container', podName, fieldPath }`, which `aggregateEvents` keys as the pod.
 * - Cases for custom key / spam-key functions are not ported: the kubelet uses the default correlator
 *   (spec pod §7.1) and `aggregateEvents` has no such options.
 */

import { describe, expect, it } from 'vitest';
import type { KubeEvent, KubeEventObject } from '../../src/hooks/events.js';
import {
  type AggregatedEvent,
  type AggregateEventsOptions,
  aggregateEvents,
  COMBINED_EVENT_PREFIX,
} from '../../src/pod/aggregate-events.js';

/** `defaultAggregateMaxEvents`, `defaultAggregateIntervalInSeconds`, `defaultSpamBurst` of events_cache.go. */
const defaultAggregateMaxEvents = 10;
const defaultAggregateIntervalInSeconds = 600;
const defaultSpamBurst = 25;

/** `makeObjectReference(kind, name, namespace)`: always carries `FieldPath: spec.containers{mycontainer}`. */
function objectReference(podName: string, namespace: string, container = 'mycontainer'): KubeEventObject {
  return { kind: 'Container', name: container, namespace, fieldPath: `spec.containers{${container}}`, podName };
}

/** `makeEvent(reason, message, involvedObject)`: type Normal; the timestamp is set when played back. */
type GoEvent = Omit<KubeEvent, 'timestamp'>;
const makeEvent = (reason: string, message: string, object: KubeEventObject): GoEvent => ({
  type: 'Normal',
  reason,
  message,
  object,
});

const makeEvents = (num: number, template: GoEvent): GoEvent[] => Array.from({ length: num }, () => template);

/** `makeUniqueEvents(num)`: reason-i, message-i about pod-i in ns-i. */
const makeUniqueEvents = (num: number): GoEvent[] =>
  Array.from({ length: num }, (_, i) =>
    makeEvent(`reason-${i}`, `message-${i}`, objectReference(`pod-${i}`, `ns-${i}`)),
  );

/** `makeSimilarEvents(num, template, prefix)`: messages `<prefix>-<i>-<template message>`. */
const makeSimilarEvents = (num: number, template: GoEvent, messagePrefix: string): GoEvent[] =>
  makeEvents(num, template).map((e, i) => ({ ...e, message: `${messagePrefix}-${i}-${e.message}` }));

const base = 1_000_000;

type Correlated = { skip: true } | { skip: false; event: AggregatedEvent };

/** One `TestEventCorrelator` scenario: play `previous`, then `newEvent`, on the interval clock. */
function correlate(
  previous: readonly GoEvent[],
  newEvent: GoEvent,
  intervalSeconds: number,
  options: AggregateEventsOptions = {},
): Correlated {
  const step = 3 * intervalSeconds * 1000;
  const played: KubeEvent[] = previous.map((e, i) => ({ ...e, timestamp: base + i * step }));
  const last: KubeEvent = { ...newEvent, timestamp: base + previous.length * step };
  const before = aggregateEvents(played, options);
  const after = aggregateEvents([...played, last], options);
  if (JSON.stringify(after) === JSON.stringify(before)) return { skip: true };
  const written = after.filter((row) => row.lastTimestamp === last.timestamp);
  expect(written).toHaveLength(1);
  return { skip: false, event: written[0] as AggregatedEvent };
}

/** `validateEvent`: same type, reason, message, involved object, count; timestamps equal iff count 1. */
function expectEvent(result: Correlated, expected: GoEvent & { count: number }): void {
  expect(result.skip).toBe(false);
  if (result.skip) return;
  const { event } = result;
  expect({ type: event.type, reason: event.reason, message: event.message, object: event.object }).toEqual({
    type: expected.type,
    reason: expected.reason,
    message: expected.message,
    object: expected.object,
  });
  expect(event.count).toBe(expected.count);
  expect(event.firstTimestamp === event.lastTimestamp).toBe(expected.count === 1);
}

const setCount = (event: GoEvent, count: number) => ({ ...event, count });

describe('client-go TestEventAggregatorByReasonFunc (spec pod §7.2)', () => {
  // The Go test compares keys: same (object, reason) with different messages → same aggregate key,
  // different local keys; another reason → another aggregate key. Observable here: 10 distinct
  // messages of one reason are combined; 9 of one reason plus 1 of another are not.
  const object = objectReference('pod1', 'other');
  it('TestEventAggregatorByReasonFunc: event1/event2 (same reason, other message) share an aggregate bucket (spec pod §7.2)', () => {
    const events = Array.from({ length: 10 }, (_, i) => ({
      ...makeEvent('end-of-world', `it was fun ${i}`, object),
      timestamp: base + i,
    }));
    const rows = aggregateEvents(events);
    expect(rows.filter((r) => r.message.startsWith(COMBINED_EVENT_PREFIX))).toHaveLength(1);
  });

  it('TestEventAggregatorByReasonFunc: event3 (reason nevermind) is in another aggregate bucket (spec pod §7.2)', () => {
    const events = [
      ...Array.from({ length: 9 }, (_, i) => makeEvent('end-of-world', `it was fun ${i}`, object)),
      makeEvent('nevermind', 'it was a bug', object),
    ].map((e, i) => ({ ...e, timestamp: base + i }));
    const rows = aggregateEvents(events);
    expect(rows).toHaveLength(10);
    expect(rows.some((r) => r.message.startsWith(COMBINED_EVENT_PREFIX))).toBe(false);
  });
});

describe('client-go TestEventAggregatorByReasonMessageFunc (spec pod §7.2)', () => {
  it('TestEventAggregatorByReasonMessageFunc: the aggregate message starts with "(combined from similar events): " (spec pod §7.2)', () => {
    expect(COMBINED_EVENT_PREFIX).toBe('(combined from similar events): ');
    const object = objectReference('pod1', 'other');
    const events = Array.from({ length: 10 }, (_, i) => ({
      ...makeEvent('end-of-world', i === 9 ? 'it was fun' : `m${i}`, object),
      timestamp: base + i,
    }));
    const combined = aggregateEvents(events).find((r) => r.message.startsWith(COMBINED_EVENT_PREFIX));
    expect(combined?.message).toBe('(combined from similar events): it was fun');
  });
});

describe('client-go TestEventCorrelator (spec pod §7.2)', () => {
  const firstEvent = makeEvent('first', 'i am first', objectReference('my-pod', 'my-ns'));
  const duplicateEvent = makeEvent('duplicate', 'me again', objectReference('my-pod', 'my-ns'));
  const uniqueEvent = makeEvent('unique', 'snowflake', objectReference('my-pod', 'my-ns'));
  const similarEvent = makeEvent('similar', 'similar message', objectReference('my-pod', 'my-ns', 'container1'));
  const aggregateEvent = makeEvent(
    similarEvent.reason,
    `${COMBINED_EVENT_PREFIX}${similarEvent.message}`,
    similarEvent.object,
  );
  const similarButDifferentContainerEvent: GoEvent = {
    ...similarEvent,
    object: { ...similarEvent.object, fieldPath: 'spec.containers{container2}' },
  };

  it('TestEventCorrelator create-a-single-event (spec pod §7.2)', () => {
    expectEvent(correlate([], firstEvent, 5), setCount(firstEvent, 1));
  });

  it('TestEventCorrelator the-same-event-should-just-count (spec pod §7.2)', () => {
    expectEvent(correlate(makeEvents(1, duplicateEvent), duplicateEvent, 5), setCount(duplicateEvent, 2));
  });

  it('TestEventCorrelator the-same-event-should-just-count-even-if-more-than-aggregate (spec pod §7.2)', () => {
    expectEvent(
      correlate(makeEvents(defaultAggregateMaxEvents, duplicateEvent), duplicateEvent, 30),
      setCount(duplicateEvent, defaultAggregateMaxEvents + 1),
    );
  });

  it('TestEventCorrelator the-same-event-is-spam-if-happens-too-frequently (spec pod §7.2)', () => {
    expect(correlate(makeEvents(defaultSpamBurst + 1, duplicateEvent), duplicateEvent, 1)).toEqual({ skip: true });
  });

  it('TestEventCorrelator create-many-unique-events (spec pod §7.2)', () => {
    expectEvent(correlate(makeUniqueEvents(30), uniqueEvent, 5), setCount(uniqueEvent, 1));
  });

  it('TestEventCorrelator similar-events-should-aggregate-event (spec pod §7.2)', () => {
    const previous = makeSimilarEvents(defaultAggregateMaxEvents - 1, similarEvent, similarEvent.message);
    expectEvent(correlate(previous, similarEvent, 5), setCount(aggregateEvent, 1));
  });

  it('TestEventCorrelator similar-events-many-times-should-count-the-aggregate (spec pod §7.2)', () => {
    const previous = makeSimilarEvents(defaultAggregateMaxEvents, similarEvent, similarEvent.message);
    expectEvent(correlate(previous, similarEvent, 5), setCount(aggregateEvent, 2));
  });

  it('TestEventCorrelator events-from-different-containers-do-not-aggregate (spec pod §7.2)', () => {
    expectEvent(
      correlate(makeEvents(1, similarButDifferentContainerEvent), similarEvent, 5),
      setCount(similarEvent, 1),
    );
  });

  it('TestEventCorrelator similar-events-whose-interval-is-greater-than-aggregate-interval-do-not-aggregate (spec pod §7.2)', () => {
    const previous = makeSimilarEvents(defaultAggregateMaxEvents - 1, similarEvent, similarEvent.message);
    expectEvent(correlate(previous, similarEvent, defaultAggregateIntervalInSeconds), setCount(similarEvent, 1));
  });
});

describe('client-go TestEventSpamFilter (spec pod §7.2)', () => {
  it('TestEventSpamFilter "event should be reported as spam if object reference is the same for default spam filter" (burst 1) (spec pod §7.2)', () => {
    const originalEvent = makeEvent('original', 'i am first', objectReference('my-pod', 'my-ns'));
    const differentReasonEvent = makeEvent('duplicate', 'me again', objectReference('my-pod', 'my-ns'));
    expect(correlate([originalEvent], differentReasonEvent, 1, { spamBurst: 1 })).toEqual({ skip: true });
  });
});
