/**
 * kubectl 1.35's Age column of `kubectl describe` events (spec pod §7.3): apimachinery's
 * `duration.HumanDuration` and the `<last> (x<count> over <first>)` form.
 *
 * @module
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * `duration.HumanDuration(d)` (spec pod §7.3): truncating; 60–119 s print as seconds; then
 * `2m5s`, `10m`, `3h5m`, `2d1h`, `3y10d`. Below −1 s prints `<invalid>`.
 *
 * @example humanDuration(75_000) // '75s'
 * @example humanDuration(125_000) // '2m5s'
 */
export function humanDuration(durationMs: number): string {
  const seconds = Math.trunc(durationMs / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(durationMs / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(durationMs / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** The fields of an (aggregated) event that the Age column reads. */
export interface EventAgeFields {
  readonly count: number;
  /** Clock ms; `undefined` prints `<unknown>`. */
  readonly firstTimestamp: number | undefined;
  readonly lastTimestamp: number | undefined;
}

/** `metav1.Time` keeps whole seconds: ages are measured from the truncated instant (spec pod §7.3). */
function apiInstant(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}

/**
 * The Age column as kubectl 1.35 renders it (spec pod §7.3): `HumanDuration(now − firstTimestamp)`,
 * or with `count > 1`, `HumanDuration(now − lastTimestamp) (x<count> over <first>)`.
 * Timestamps are truncated to whole seconds like the API's; `now` is not.
 *
 * @example formatEventAge({ count: 2, firstTimestamp: 0, lastTimestamp: 37_000 }, 75_000) // '38s (x2 over 75s)'
 */
export function formatEventAge(event: EventAgeFields, now: number): string {
  // kubectl's translateTimestampSince: a zero timestamp prints `<unknown>`, each on its own.
  const since = (at: number | undefined): string =>
    at === undefined ? '<unknown>' : humanDuration(now - apiInstant(at));
  const first = since(event.firstTimestamp);
  return event.count > 1 ? `${since(event.lastTimestamp)} (x${event.count} over ${first})` : first;
}
