/**
 * Probes (DESIGN §11, spec pod §6): the ports, the handlers with probe semantics, and the
 * per-container workers the pod worker drives.
 *
 * How a pod worker uses them:
 * 1. at `startPod`, `findMissingProbePort(pod, { tcpDialer, grpcHealthChecker })` → throw the
 *    `MissingPortError` (code `ERR_MISSING_PORT`) it returns;
 * 2. when the pod is first synced (the kubelet's `AddPod`, before its containers run), per
 *    regular container and sidecar with a probe, `new ContainerProbes({ pod, container, clock,
 *    runtime, httpClient, tcpDialer, grpcHealthChecker, kubeletVersion, podIP, onEvent, onKill,
 *    onStatusChange })`; the workers tick from that instant;
 * 3. `containerStarted({ ref, startedAt })` on each (re)start, `containerExited({ willRestart })`
 *    on each exit (`willRestart: false` stops the workers at once), `podTerminating()` for the
 *    regular containers when pod termination begins, `stop()` when the pod is done;
 * 4. `onKill(kill)` → kill with `kill.reason`, the `Killing` event `kill.message`, grace
 *    `deletionGracePeriodSeconds ?? kill.terminationGracePeriodSeconds ?? pod TGPS`, then restart
 *    per policy; `onStatusChange({ started, ready })` → container status, `ContainersReady`,
 *    `Ready`; `onEvent(event, ref)` → a Warning event on the container.
 *
 * @module
 */

export type { ContainerProbesOptions, ProbeResult, ProbeStatus } from './container-probes.js';
export { ContainerProbes, INITIAL_PROBE_RESULTS } from './container-probes.js';
export { capProbeOutput, expandProbeCommand, MAX_EXEC_OUTPUT_BYTES, runExecProbe } from './exec-probe.js';

export { grpcErrorOutput, runGrpcProbe } from './grpc-probe.js';
export { runHttpGetProbe } from './http-probe.js';
export type { ProbePortName, ProbePorts } from './missing-port.js';
export { findMissingProbePort, MissingPortError } from './missing-port.js';
export type { ProbeKill } from './probe-kill.js';
export { probeKill } from './probe-kill.js';
export type { ProbeAttemptResult, ProbeOutcome, ProbeRunContext } from './probe-outcome.js';
export { goDurationSeconds, ProbeTimeoutError, podIPOf, withDeadline } from './probe-outcome.js';
export type { GRPCAction, ProbeAction, ProbeSpec, ProbeType, ResolvedProbe } from './probe-spec.js';
export { PROBE_DEFAULTS, PROBE_FIELDS, PROBE_TYPES, probeTypeLabel, resolveProbe } from './probe-spec.js';
export type { ProbeWorkerState } from './probe-worker.js';
export { ProbeWorker } from './probe-worker.js';
export type { ProbeAttempt, ProbeEvent, ProbeRunResult } from './run-probe.js';
export { judgeProbeOutcome, MAX_PROBE_RETRIES, runProbeAttempt, runProbeWithRetries } from './run-probe.js';

export { runTcpSocketProbe } from './tcp-probe.js';
