/**
 * The kill a liveness or startup failure asks for, worded as the kubelet's `computePodActions`
 * (`pkg/kubelet/kuberuntime/kuberuntime_manager.go`): reason, `Killing` message and grace.
 *
 * @module
 */

import type { Container, Pod } from '../api/types.js';
import type { ContainerRef } from '../ports/runtime.js';
import type { ResolvedProbe } from './probe-spec.js';

/** The kill a liveness or startup failure asks for (spec pod §6.1 "Actions"). */
export interface ProbeKill {
  readonly probeType: 'liveness' | 'startup';
  /** The kill reason: `LivenessProbe` or `StartupProbe`. */
  readonly reason: 'LivenessProbe' | 'StartupProbe';
  /** The `Killing` event message, e.g. `Container web failed liveness probe, will be restarted`. */
  readonly message: string;
  /** The probe-level grace, if set; the grace order (deletion grace, this, pod TGPS) is the caller's. */
  readonly terminationGracePeriodSeconds?: number;
  /** Whether the container restarts after the kill (pod policy ≠ Never, or a sidecar). */
  readonly willRestart: boolean;
  readonly ref: ContainerRef;
}

/**
 * The kill for a `type` failure of `container`: message `Container <name> failed <type> probe`,
 * plus `, will be restarted` when the container restarts (pod `restartPolicy` ≠ `Never`, or a
 * sidecar: `restartPolicy: Always` on the container). Pure.
 *
 * @example probeKill(pod, { name: 'web' }, 'liveness', probe, ref).message
 * // 'Container web failed liveness probe, will be restarted'
 */
export function probeKill(
  pod: Pod,
  container: Container,
  type: 'liveness' | 'startup',
  probe: ResolvedProbe | undefined,
  ref: ContainerRef,
): ProbeKill {
  const willRestart = container.restartPolicy === 'Always' || pod.spec?.restartPolicy !== 'Never';
  const base = `Container ${container.name} failed ${type} probe`;
  const tgps = probe?.terminationGracePeriodSeconds;
  return {
    probeType: type,
    reason: type === 'liveness' ? 'LivenessProbe' : 'StartupProbe',
    message: willRestart ? `${base}, will be restarted` : base,
    ...(tgps !== undefined ? { terminationGracePeriodSeconds: tgps } : {}),
    willRestart,
    ref,
  };
}
