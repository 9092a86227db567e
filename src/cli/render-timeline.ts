import type { LifecycleStep } from '../index.js';
import type { RuntimeTimelineEntry } from '../testing/index.js';
import { formatSeconds } from './durations.js';
import type { SimulatedContainer } from './simulate.js';
import { ASCII, type Glyphs, UNICODE } from './timeline-glyphs.js';

/** What the chart reads from a simulation. */
export interface ChartTrace {
  readonly containers: readonly SimulatedContainer[];
  readonly deletes: ReadonlyArray<{ readonly at: number; readonly gracePeriodSeconds?: number }>;
  readonly steps: readonly LifecycleStep[];
  readonly runtime: readonly RuntimeTimelineEntry[];
  readonly endAt: number;
}

const CHART_COLUMNS = 60;
const LABEL_WIDTH = 13;
const SCALES_MS = [
  50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000,
  3_600_000,
];

/** One lane of a container: a label, cells to paint, and the words that say it exactly. */
interface Lane {
  readonly label: string;
  readonly paint: Array<{
    readonly fromMs: number;
    readonly toMs?: number;
    readonly glyph: string;
    readonly solid?: boolean;
  }>;
  readonly text: string;
}

/**
 * A timeline chart per container: postStart, Running, preStop, ordering wait, the grace budget
 * from `Killing` (and the minimum stop grace beyond it), the stop signal, SIGKILL and the exit.
 * Each lane ends with the exact times in words, so nothing depends on reading the bars.
 */
export function renderTimeline(trace: ChartTrace, options: { ascii?: boolean } = {}): string {
  const g = options.ascii === true ? ASCII : UNICODE;
  const perContainer = trace.containers.map((c) => ({ container: c, lanes: lanesOf(trace, c, g) }));
  const ends = [
    trace.endAt,
    ...perContainer.flatMap(({ lanes }) => lanes.flatMap((l) => l.paint.map((p) => p.toMs ?? p.fromMs))),
  ];
  const spanMs = Math.max(1000, ...ends);
  const msPerColumn = SCALES_MS.find((s) => spanMs / s <= CHART_COLUMNS) ?? Math.ceil(spanMs / CHART_COLUMNS);
  const columns = Math.floor(spanMs / msPerColumn) + 1;
  const pad = ' '.repeat(LABEL_WIDTH);
  const out = [`Timeline (virtual time; one column = ${formatSeconds(msPerColumn)}):`, ''];
  out.push(pad + axisLabels(columns, msPerColumn), pad + ruler(columns, g));
  if (trace.deletes.length > 0) {
    const cells = Array.from({ length: columns }, () => ' ');
    for (const d of trace.deletes) cells[Math.min(columns - 1, Math.floor(d.at / msPerColumn))] = g.signal;
    const words = trace.deletes.map(
      (d) =>
        `delete ${formatSeconds(d.at)}${d.gracePeriodSeconds === undefined ? '' : ` (grace ${d.gracePeriodSeconds}s)`}`,
    );
    out.push(`${'pod'.padEnd(LABEL_WIDTH)}${cells.join('')}  ${words.join(', ')}`.trimEnd());
  }
  for (const { container, lanes } of perContainer) {
    const runs = trace.steps.filter((s) => s.container === container.name && s.kind === 'starting').length;
    const more = runs > 1 ? `; its first of ${runs} runs, the status timeline below shows them all` : '';
    out.push(`${container.name} (${kindText(container)}${more})`);
    if (lanes.length === 0) out.push(`${'  (never started)'.padEnd(LABEL_WIDTH)}`);
    for (const lane of lanes) {
      const cells = Array.from({ length: columns }, () => ' ');
      for (const p of lane.paint) {
        const from = Math.min(columns - 1, Math.floor(p.fromMs / msPerColumn));
        const to =
          p.toMs === undefined ? from : Math.max(from, Math.min(columns - 1, Math.ceil(p.toMs / msPerColumn) - 1));
        for (let i = from; i <= to; i++) if (p.solid !== false || cells[i] === ' ') cells[i] = p.glyph;
      }
      out.push(`  ${lane.label.padEnd(LABEL_WIDTH - 2)}${cells.join('')}  ${lane.text}`.trimEnd());
    }
  }
  out.push(
    '',
    `Legend: ${g.hook} hook  ${g.hookFailed} hook failed or cut  ${g.running} running  ${g.wait} sidecar waiting  ` +
      `${g.graceStart}${g.grace}${g.graceEnd} grace budget  ${g.extension} minimum stop grace  ${g.signal} signal/delete  ${g.exit} exit  ${g.kill} SIGKILL`,
  );
  const text = `${out.join('\n')}\n`;
  return options.ascii === true ? text.replace(/→/g, '->') : text;
}

/** The entries of a container's first run: up to its second start (a restart on the pod worker). */
function firstRun<T>(entries: readonly T[], isStart: (entry: T) => boolean): T[] {
  const second = entries.findIndex((e, i) => isStart(e) && entries.slice(0, i).some(isStart));
  return second === -1 ? [...entries] : entries.slice(0, second);
}

function lanesOf(trace: ChartTrace, c: SimulatedContainer, g: Glyphs): Lane[] {
  const steps = firstRun(
    trace.steps.filter((s) => s.container === c.name),
    (s) => s.kind === 'starting',
  );
  const first = (kind: string) => steps.find((s) => s.kind === kind);
  const all = (kind: string) => steps.filter((s) => s.kind === kind);
  const runtime = firstRun(
    trace.runtime.filter((r) => r.container === c.name),
    (r) => r.kind === 'start',
  );
  const lanes: Lane[] = [];
  const started = first('started');
  const exit = runtime.find((r) => r.kind === 'exit');
  const killing = first('killing');

  const hook = (label: string, startKind: string, endKind: string, name: string): void => {
    const begin = first(startKind);
    if (begin === undefined) return;
    const end = first(endKind);
    const toMs = end?.time ?? trace.endAt;
    const outcome = end?.outcome ?? 'still running at the end';
    const ok = outcome === 'succeeded';
    const words =
      outcome !== 'timedOut'
        ? outcome
        : label === 'postStart'
          ? 'timed out (policy postStartTimeoutSeconds)'
          : 'grace ran out (the kubelet stops waiting)';
    lanes.push({
      label,
      paint: [{ fromMs: begin.time, toMs: Math.max(toMs, begin.time + 1), glyph: ok ? g.hook : g.hookFailed }],
      text: `${name} ${formatSeconds(begin.time)} → ${formatSeconds(toMs)}: ${words}`,
    });
  };

  hook('postStart', 'postStartStarted', 'postStartFinished', c.postStart?.split(' ')[0] ?? 'hook');
  const running = c.kind === 'init' ? undefined : first('running');
  if (running !== undefined) {
    const endAt = killing?.time ?? exit?.at ?? trace.endAt;
    const endWhy = killing !== undefined ? 'until Killing' : exit !== undefined ? 'until it exited' : 'at the end';
    lanes.push({
      label: 'Running',
      paint: [{ fromMs: running.time, toMs: Math.max(endAt, running.time + 1), glyph: g.running }],
      text: `${formatSeconds(running.time)} → ${formatSeconds(endAt)} (${endWhy})`,
    });
  } else if (started !== undefined && c.kind !== 'init' && first('postStartStarted') === undefined) {
    lanes.push({ label: 'Running', paint: [], text: 'never Running' });
  }
  if (c.kind === 'init' && started !== undefined && exit !== undefined) {
    lanes.push({
      label: 'init',
      paint: [{ fromMs: started.time, toMs: Math.max(exit.at, started.time + 1), glyph: g.running }],
      text: `ran ${formatSeconds(started.time)} → ${formatSeconds(exit.at)}, exit ${exit.exitCode}`,
    });
  }
  hook('preStop', 'preStopStarted', 'preStopFinished', c.preStop?.split(' ')[0] ?? 'hook');
  const wait = first('orderingWaitStarted');
  if (wait !== undefined) {
    const end = first('orderingWaitFinished')?.time ?? trace.endAt;
    lanes.push({
      label: 'waits',
      paint: [{ fromMs: wait.time, toMs: Math.max(end, wait.time + 1), glyph: g.wait }],
      text: `for the containers it must outlive, ${formatSeconds(wait.time)} → ${formatSeconds(end)}`,
    });
  }
  if (killing !== undefined) lanes.push(graceLane(killing.time, killing.seconds ?? 0, all('stopRequested'), g));
  const stopLane = stopSignalLane(trace, c, runtime, killing !== undefined, g);
  if (stopLane !== undefined) lanes.push(stopLane);
  return lanes;
}

function graceLane(
  killingMs: number,
  graceSeconds: number,
  stops: ReadonlyArray<{ time: number; seconds?: number }>,
  g: Glyphs,
): Lane {
  const budgetEnd = killingMs + graceSeconds * 1000;
  const paint: Lane['paint'][number][] = [
    { fromMs: killingMs, toMs: Math.max(budgetEnd, killingMs + 1), glyph: g.grace },
    { fromMs: killingMs, glyph: g.graceStart },
  ];
  if (graceSeconds > 0) paint.push({ fromMs: budgetEnd - 1, glyph: g.graceEnd });
  const deadlines = stops.map((s) => s.time + (s.seconds ?? 0) * 1000);
  const killAt = deadlines.length === 0 ? undefined : Math.min(...deadlines);
  let text = `${graceSeconds}s from Killing at ${formatSeconds(killingMs)}: budget ends ${formatSeconds(budgetEnd)}`;
  if (killAt !== undefined && killAt > budgetEnd) {
    paint.push({ fromMs: budgetEnd, toMs: killAt, glyph: g.extension });
    text += `, SIGKILL due ${formatSeconds(killAt)} (minimum stop grace)`;
  } else if (killAt !== undefined) text += `, SIGKILL due ${formatSeconds(killAt)}`;
  return { label: 'grace', paint, text };
}

function stopSignalLane(
  trace: ChartTrace,
  c: SimulatedContainer,
  runtime: ChartTrace['runtime'],
  wasKilled: boolean,
  g: Glyphs,
): Lane | undefined {
  const signals = runtime.filter((r) => r.kind === 'signal');
  const exit = runtime.find((r) => r.kind === 'exit');
  const stops = firstRun(
    trace.steps.filter((s) => s.container === c.name),
    (s) => s.kind === 'starting',
  ).filter((s) => s.kind === 'stopRequested');
  const failed = runtime.find((r) => r.kind === 'stop-failed');
  if (c.kind === 'init' && !wasKilled) return undefined;
  if (signals.length === 0 && exit === undefined && stops.length === 0) return undefined;
  const paint: Lane['paint'][number][] = [];
  const words: string[] = [];
  const firstSignal = signals[0];
  if (firstSignal !== undefined && exit !== undefined)
    paint.push({ fromMs: firstSignal.at, toMs: exit.at, glyph: g.stopping });
  for (const s of stops) words.push(`stop ${formatSeconds(s.time)} (timeout ${s.seconds ?? 0}s)`);
  for (const s of signals) {
    paint.push({ fromMs: s.at, glyph: s.signal === 'SIGKILL' ? g.kill : g.signal });
    words.push(`${s.signal} ${formatSeconds(s.at)}`);
  }
  if (failed !== undefined) words.push(`runtime stop failed: ${failed.error ?? ''}`);
  if (exit !== undefined) {
    paint.push({
      fromMs: exit.at,
      glyph: exit.exitCode === 137 && signals.some((s) => s.signal === 'SIGKILL') ? g.kill : g.exit,
    });
    words.push(
      exit.reason === 'crash'
        ? `exited by itself ${formatSeconds(exit.at)} (code ${exit.exitCode})`
        : `exited ${formatSeconds(exit.at)} (code ${exit.exitCode})`,
    );
  } else words.push('still running at the end');
  return { label: 'stop', paint, text: words.join(', ') };
}

function axisLabels(columns: number, msPerColumn: number): string {
  let line = '';
  for (let col = 0; col < columns; col += 10) {
    const label = formatSeconds(col * msPerColumn);
    line = line.padEnd(col) + label;
  }
  return line;
}

function ruler(columns: number, g: Glyphs): string {
  return Array.from({ length: columns }, (_, i) =>
    i === columns - 1 ? g.ruleEnd : i % 10 === 0 ? g.tick : g.rule,
  ).join('');
}

function kindText(c: SimulatedContainer): string {
  return c.kind === 'container'
    ? 'container'
    : c.kind === 'sidecar'
      ? 'sidecar: init container with restartPolicy Always'
      : 'init container';
}
