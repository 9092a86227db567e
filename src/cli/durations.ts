/**
 * Durations on the command line and in scenario files: `500ms`, `5s`, `1.5s`, `2m`, or a bare
 * number of seconds. Returns milliseconds (integer), or undefined when the text is not a duration.
 */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? Math.round(text * 1000) : undefined;
  const match = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m)?$/.exec(text.trim());
  if (match === null) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const ms = unit === 'ms' ? value : unit === 's' ? value * 1000 : value * 60_000;
  return Math.round(ms);
}

/** Milliseconds as seconds for people: `0s`, `13s`, `13.5s`, `0.25s`. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))}s`;
}
