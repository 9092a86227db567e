/**
 * The parts of `simulate`'s report that do not depend on how the pod ran: the header (which pod,
 * from where, which scenario file) and the deletes/containers block. The report itself is
 * `render-pod-report.ts`.
 *
 * @module
 */

import { formatSeconds } from './durations.js';
import type { ManifestPod } from './load-manifests.js';
import type { SimulatedContainer } from './simulate.js';

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

/**
 * The lines every simulate report shows under its header, whichever way the pod ran: each delete
 * with the grace it asked for, then each container with its hooks and stop signal.
 */
export function renderPodSummary(trace: {
  readonly pod: { readonly terminationGracePeriodSeconds: number };
  readonly containers: readonly SimulatedContainer[];
  readonly deletes: ReadonlyArray<{ readonly at: number; readonly gracePeriodSeconds?: number }>;
}): string[] {
  const { pod } = trace;
  const out: string[] = [];
  trace.deletes.forEach((d, i) => {
    const grace =
      d.gracePeriodSeconds === undefined
        ? `the pod's terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds}s)`
        : `gracePeriodSeconds ${d.gracePeriodSeconds}`;
    out.push(`${i === 0 ? 'Deleted' : 'Deleted again'} at ${formatSeconds(d.at)} with ${grace}`);
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
