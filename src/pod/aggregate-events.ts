/**
 * client-go's `EventCorrelator` (`tools/record/events_cache.go`, spec pod §7.2) replayed over a
 * list of events: the 10-similar-messages aggregator, the logger that folds identical events into
 * one with `count`, `firstTimestamp`, `lastTimestamp`, and the per-object spam filter.
 *
 * Deterministic choices (spec pod §9 items 2, 7, 8): the aggregator evicts the **oldest-inserted**
 * message where client-go's `PopAny` takes an arbitrary one; rows tie on `lastTimestamp` in order
 * of first occurrence where kubectl's sort is not stable. Checked against client-go's
 * `EventAggregate` (insert, then `Len() < maxEvents` passes the event unchanged, else `PopAny` and a
 * combined copy keyed by the aggregate key). The LRU caches (4096 entries) are not
 * modelled: a list long enough to evict from them is beyond what one pod produces.
 *
 * @module
 */

import type { KubeEvent } from '../hooks/events.js';

/** An event row as `kubectl describe` shows it: the newest written version of one event object. */
export interface AggregatedEvent extends KubeEvent {
  /** Occurrences folded into this row (the logger's count at its last accepted write). */
  readonly count: number;
  /** Clock ms of the first occurrence. */
  readonly firstTimestamp: number;
  /** Clock ms of the last accepted occurrence (equals `timestamp`). */
  readonly lastTimestamp: number;
}

/** Options of {@link aggregateEvents}; defaults are client-go's. */
export interface AggregateEventsOptions {
  /** Apply the spam filter (token bucket per object and type). @default true */
  readonly spamFilter?: boolean;
  /** Spam filter burst. @default 25 */
  readonly spamBurst?: number;
  /** Spam filter refill: one token per this many ms. @default 300000 */
  readonly spamRefillMs?: number;
  /** Distinct messages per (object, type, reason) before aggregation. @default 10 */
  readonly maxSimilarEvents?: number;
  /** The aggregator forgets a bucket idle longer than this. @default 600000 */
  readonly aggregateIntervalMs?: number;
}

/** Prefix of aggregated messages (`EventAggregatorByReasonMessageFunc`). */
export const COMBINED_EVENT_PREFIX = '(combined from similar events): ';

/** The involved object: container events are about their pod (`fieldPath` names the container). */
function involvedKey(event: KubeEvent): string {
  const o = event.object;
  const name = o.kind === 'Container' && o.podName !== undefined ? o.podName : o.name;
  const kind = o.kind === 'Container' && o.podName !== undefined ? 'Pod' : o.kind;
  return JSON.stringify(['kubelet', kind, o.namespace, name]);
}

interface AggregateRecord {
  readonly messages: Set<string>; // insertion-ordered: the oldest is evicted first
  lastTimestamp: number;
}

interface Row {
  event: AggregatedEvent;
  readonly seq: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

/**
 * Folds events the way the kubelet's recorder writes them and `kubectl describe` then shows them
 * (spec pod §7.2): identical (object, fieldPath, type, reason, message) events become one row with
 * `count`, `firstTimestamp` and `lastTimestamp`; the 10th distinct message of one (object, type,
 * reason) within 10 minutes becomes `(combined from similar events): <message>`; beyond 25 events
 * per object and type (refilled one per 5 minutes) writes are dropped, and the next accepted write
 * of that row shows the jump in `count`. Rows are sorted by `lastTimestamp`, then first occurrence.
 *
 * @example aggregateEvents(events).map((e) => `${e.reason} x${e.count}`)
 */
export function aggregateEvents(events: readonly KubeEvent[], options: AggregateEventsOptions = {}): AggregatedEvent[] {
  const {
    spamFilter = true,
    spamBurst = 25,
    spamRefillMs = 300_000,
    maxSimilarEvents = 10,
    aggregateIntervalMs = 600_000,
  } = options;
  const aggregator = new Map<string, AggregateRecord>();
  const logger = new Map<string, { count: number; firstTimestamp: number }>();
  const buckets = new Map<string, Bucket>();
  const rows = new Map<string, Row>();
  let seq = 0;

  for (const original of events) {
    const now = original.timestamp;
    const involved = involvedKey(original);
    // 1. Aggregator: key without fieldPath and message; local key = message.
    const aggregateKey = JSON.stringify([involved, original.type, original.reason]);
    let record = aggregator.get(aggregateKey);
    if (!record || now - record.lastTimestamp > aggregateIntervalMs) {
      record = { messages: new Set(), lastTimestamp: now };
      aggregator.set(aggregateKey, record);
    }
    record.messages.add(original.message);
    record.lastTimestamp = now;
    let event: KubeEvent = original;
    let key = JSON.stringify([
      involved,
      original.object.fieldPath ?? '',
      original.type,
      original.reason,
      original.message,
    ]);
    if (record.messages.size >= maxSimilarEvents) {
      const oldest = record.messages.values().next().value as string;
      record.messages.delete(oldest);
      event = { ...original, message: `${COMBINED_EVENT_PREFIX}${original.message}` };
      key = aggregateKey;
    }
    // 2. Logger: a seen key keeps its firstTimestamp and counts up (before the spam filter).
    const seen = logger.get(key);
    const count = (seen?.count ?? 0) + 1;
    const firstTimestamp = seen?.firstTimestamp ?? now;
    logger.set(key, { count, firstTimestamp });
    // 3. Spam filter: one token bucket per object and type; no token → not written.
    if (spamFilter) {
      const spamKey = JSON.stringify([involved, original.type]);
      const bucket = buckets.get(spamKey) ?? { tokens: spamBurst, lastMs: now };
      bucket.tokens = Math.min(spamBurst, bucket.tokens + (now - bucket.lastMs) / spamRefillMs);
      bucket.lastMs = now;
      buckets.set(spamKey, bucket);
      if (bucket.tokens < 1) continue;
      bucket.tokens -= 1;
    }
    // 4. Write: create or patch the row.
    const written: AggregatedEvent = { ...event, timestamp: now, count, firstTimestamp, lastTimestamp: now };
    const row = rows.get(key);
    if (row) row.event = written;
    else rows.set(key, { event: written, seq: seq++ });
  }

  return [...rows.values()]
    .sort((a, b) => a.event.lastTimestamp - b.event.lastTimestamp || a.seq - b.seq)
    .map((r) => r.event);
}
