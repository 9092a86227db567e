import type { ContainerState, PodContainerStatus } from '../api/pod-status.js';
import { formatSeconds } from './durations.js';
import { renderEvents } from './render-events.js';
import { renderPodSummary } from './render-report.js';
import { renderTimeline } from './render-timeline.js';
import type { ContainerSnapshot, PodSimulationTrace } from './simulation-trace.js';

/** Events shown in the worker timeline beside the status changes: restarts, back-off, probes, kills. */
const TIMELINE_REASONS = new Set([
  'Created',
  'FailedPostStartHook',
  'Killing',
  'BackOff',
  'Unhealthy',
  'ProbeWarning',
  'Started',
]);

function describeSnapshot(c: ContainerSnapshot): string {
  const detail = [
    c.reason,
    c.exitCode === undefined ? undefined : `exit code ${c.exitCode}`,
    c.reason === 'CrashLoopBackOff' ? /^back-off \S+/.exec(c.message ?? '')?.[0] : undefined,
  ].filter((x) => x !== undefined);
  return `${c.state}${detail.length > 0 ? ` (${detail.join(', ')})` : ''}  restartCount ${c.restartCount}${c.ready ? ', ready' : ''}`;
}

function describeState(state: ContainerState): string {
  if (state.terminated !== undefined) {
    const t = state.terminated;
    return `Terminated (${[t.reason, `exit code ${t.exitCode}`].filter((x) => x !== undefined).join(', ')})`;
  }
  if (state.running !== undefined) return 'Running';
  if (state.waiting !== undefined) {
    const w = state.waiting;
    const detail = [w.reason, w.message].filter((x) => x !== undefined && x !== '');
    return `Waiting${detail.length > 0 ? ` (${detail.join(': ')})` : ''}`;
  }
  return '—';
}

/**
 * The worker timeline: every container status change (state, reason, restartCount; a
 * CrashLoopBackOff wait with its back-off) and the events that explain them, in time order.
 */
export function renderPodTimeline(trace: PodSimulationTrace): string {
  // Order: time, then emission order (a status change after the events emitted before it).
  const lines: Array<{ at: number; seq: number; container: string; text: string }> = [];
  const previous = new Map<string, string>();
  for (const change of trace.statusChanges) {
    for (const c of change.containers) {
      const text = describeSnapshot(c);
      if (previous.get(c.name) === text) continue;
      previous.set(c.name, text);
      lines.push({ at: change.at, seq: change.eventsBefore * 2 - 1, container: c.name, text });
    }
  }
  trace.events.forEach((e, i) => {
    if (!TIMELINE_REASONS.has(e.reason)) return;
    const name = e.object.kind === 'Container' ? e.object.name : trace.pod.name;
    lines.push({ at: e.timestamp, seq: i * 2, container: name, text: `${e.type} ${e.reason}: ${e.message}` });
  });
  for (const exit of trace.exits)
    lines.push({
      at: exit.at,
      seq: -2,
      container: exit.container,
      text: `exits with code ${exit.exitCode} (scripted)`,
    });
  for (const d of trace.deletes) lines.push({ at: d.at, seq: -2, container: trace.pod.name, text: 'deleted' });
  lines.sort((a, b) => a.at - b.at || a.seq - b.seq);
  if (lines.length === 0) return 'Timeline (virtual time):  nothing happened\n';
  const timeWidth = Math.max(...lines.map((l) => formatSeconds(l.at).length));
  const nameWidth = Math.max(...lines.map((l) => l.container.length));
  const out = ['Timeline (virtual time; container status changes and the events behind them):'];
  for (const l of lines)
    out.push(`  ${formatSeconds(l.at).padStart(timeWidth)}  ${l.container.padEnd(nameWidth)}  ${l.text}`);
  return `${out.join('\n')}\n`;
}

function renderStatus(status: PodContainerStatus): string[] {
  const lines = [
    `  ${status.name}: ${describeState(status.state)}`,
    `    Restart Count: ${status.restartCount}   Ready: ${status.ready}   Started: ${status.started}`,
  ];
  if (Object.keys(status.lastState).length > 0) lines.push(`    Last State: ${describeState(status.lastState)}`);
  return lines;
}

/**
 * The human report of a simulation: header, containers and hooks, the Events table, the chart of
 * each container's first run (hooks, grace, signals; `ascii` for plain terminals), the status
 * timeline (restarts, back-off), the pod status at the end, notes.
 */
export function renderPodReport(
  trace: PodSimulationTrace,
  header: readonly string[],
  options: { readonly ascii?: boolean } = {},
): string {
  const { pod } = trace;
  const out = [...header];
  const horizon = trace.horizonIsDefault
    ? `until nothing was left to happen, at most ${formatSeconds(trace.horizonMs)}`
    : `--for ${formatSeconds(trace.horizonMs)}`;
  out.push(
    `Ran on the pod worker (startPod) for ${formatSeconds(trace.endAt)} of virtual time (${horizon}); restartPolicy ${pod.restartPolicy}`,
  );
  out.push(...renderPodSummary(trace));
  const chart = renderTimeline(trace, { ascii: options.ascii === true });
  out.push('', renderEvents(trace.events, trace.endAt), chart, renderPodTimeline(trace));
  const status = trace.podStatus;
  if (status !== undefined) {
    out.push(`Pod status at ${formatSeconds(trace.endAt)}: ${status.phase}`);
    out.push(
      `  Conditions: ${status.conditions.map((c) => `${c.type} ${c.status}${c.reason === undefined ? '' : ` (${c.reason})`}`).join(', ')}`,
    );
    for (const s of [...status.initContainerStatuses, ...status.containerStatuses]) out.push(...renderStatus(s));
  }
  if (trace.notes.length > 0) out.push('', 'Notes:', ...trace.notes.map((n) => `  - ${n}`));
  return `${out.join('\n')}\n`;
}
