/**
 * The human report of `simulate` (a container-level run): header, deletes and containers, events
 * table, timeline, final statuses, notes. The header and the deletes/containers block are shared
 * with the pod-worker report (`render-pod-report.ts`).
 *
 * @module
 */

import { formatSeconds } from './durations.js';
import type { ManifestPod } from './load-manifests.js';
import { renderEvents } from './render-events.js';
import { renderTimeline } from './render-timeline.js';
import type { SimulatedContainer, SimulationTrace } from './simulate.js';

/** Where the simulated pod came from: the manifest, the scenario file (if any), the manifest entry. */
export interface ReportContext {
  readonly manifest: string;
  readonly scenarioFile: string | undefined;
  readonly entry: ManifestPod;
}

/** The first lines of a report: which pod, from where, with which scenario file. */
export function reportHeader(name: string, context: ReportContext): string[] {
  const from =
    context.entry.templatePath === '' ? '' : ` (pod template of ${context.entry.kind} "${context.entry.name}")`;
  const out = [`Simulated pod "${name}"${from} in virtual time: ${context.manifest}`];
  if (context.scenarioFile !== undefined) out.push(`Scenario: ${context.scenarioFile}`);
  return out;
}

/** The human report: header, events table, timeline, final statuses, notes. */
export function renderReport(
  trace: SimulationTrace,
  context: ReportContext & { readonly ascii?: boolean | undefined },
): string {
  const { pod } = trace;
  const out = reportHeader(pod.name, context);
  out.push(...renderPodSummary(trace));
  out.push('', renderEvents(trace.events, trace.endMs), renderTimeline(trace, { ascii: context.ascii === true }));
  out.push('Final container status:');
  for (const [name, status] of Object.entries(trace.statuses)) {
    const detail = [
      status.reason,
      status.exitCode === undefined ? undefined : `exit code ${status.exitCode}`,
      status.finishedAt === undefined ? undefined : `finished ${formatSeconds(status.finishedAt)}`,
    ].filter((x) => x !== undefined);
    out.push(`  ${name}: ${status.state}${detail.length > 0 ? ` (${detail.join(', ')})` : ''}`);
  }
  if (trace.notes.length > 0) out.push('', 'Notes:', ...trace.notes.map((n) => `  - ${n}`));
  return `${out.join('\n')}\n`;
}

/**
 * The lines every simulate report shows under its header, whichever way the pod ran: each delete
 * with the grace it asked for, then each container with its hooks and stop signal.
 */
export function renderPodSummary(trace: {
  readonly pod: { readonly terminationGracePeriodSeconds: number };
  readonly containers: readonly SimulatedContainer[];
  readonly deletes: ReadonlyArray<{ readonly atMs: number; readonly gracePeriodSeconds?: number }>;
}): string[] {
  const { pod } = trace;
  const out: string[] = [];
  trace.deletes.forEach((d, i) => {
    const grace =
      d.gracePeriodSeconds === undefined
        ? `the pod's terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds}s)`
        : `gracePeriodSeconds ${d.gracePeriodSeconds}`;
    out.push(`${i === 0 ? 'Deleted' : 'Deleted again'} at ${formatSeconds(d.atMs)} with ${grace}`);
  });
  out.push('', 'Containers:');
  for (const c of trace.containers) {
    out.push(
      `  ${c.name} (${c.kind === 'container' ? 'container' : c.kind === 'sidecar' ? 'sidecar' : 'init container'}):`,
    );
    if (c.postStart !== undefined) out.push(`    PostStart:   ${c.postStart}`);
    if (c.preStop !== undefined) out.push(`    PreStop:     ${c.preStop}`);
    if (c.stopSignal !== undefined) out.push(`    StopSignal:  ${c.stopSignal}`);
    if (c.postStart === undefined && c.preStop === undefined) out.push('    no lifecycle hooks');
  }
  return out;
}
