/**
 * The characters of the `simulate` chart (`render-timeline.ts`): box drawing, or ASCII for
 * terminals without it (`--ascii`).
 *
 * @module
 */

/** Characters of the chart; `ascii` for terminals without box drawing. */
export interface Glyphs {
  readonly hook: string;
  readonly hookFailed: string;
  readonly running: string;
  readonly wait: string;
  readonly graceStart: string;
  readonly grace: string;
  readonly graceEnd: string;
  readonly extension: string;
  readonly signal: string;
  readonly stopping: string;
  readonly exit: string;
  readonly kill: string;
  readonly rule: string;
  readonly tick: string;
  readonly ruleEnd: string;
}

export const UNICODE: Glyphs = {
  hook: '█',
  hookFailed: '▒',
  running: '━',
  wait: '┄',
  graceStart: '├',
  grace: '─',
  graceEnd: '┤',
  extension: '╌',
  signal: '▼',
  stopping: '·',
  exit: '✕',
  kill: '✖',
  rule: '─',
  tick: '┼',
  ruleEnd: '┤',
};
export const ASCII: Glyphs = {
  hook: '#',
  hookFailed: '%',
  running: '=',
  wait: '.',
  graceStart: '|',
  grace: '-',
  graceEnd: '|',
  extension: '+',
  signal: 'v',
  stopping: '.',
  exit: 'X',
  kill: 'K',
  rule: '-',
  tick: '+',
  ruleEnd: '|',
};
