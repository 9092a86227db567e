/**
 * The `startPod` check of DESIGN §11: a probe whose handler needs a port the manager was not
 * given (`tcpDialer` for tcpSocket, `grpcHealthChecker` for grpc) rejects the pod with a typed
 * error naming the probe — never a probe that silently does not run.
 *
 * @module
 */

import type { Container, Pod } from '../api/types.js';
import { LifecycleError } from '../errors.js';
import { goQuote } from '../hooks/format.js';
import { PROBE_FIELDS, PROBE_TYPES, type ProbeType, resolveProbe } from './probe-spec.js';

/** Which optional manager port a probe needs. */
export type ProbePortName = 'tcpDialer' | 'grpcHealthChecker';

/**
 * A pod's probe needs a port the manager was not given. `code` is `ERR_MISSING_PORT`.
 *
 * @example
 * const error = findMissingProbePort(pod, { tcpDialer: undefined });
 * // error?.message: 'Pod "web": spec.containers[0].livenessProbe.tcpSocket needs a TcpDialer, …'
 */
export class MissingPortError extends LifecycleError<'ERR_MISSING_PORT'> {
  override readonly name = 'MissingPortError';
  /** The manager option that is missing. */
  readonly port: ProbePortName;
  /** The container whose probe needs it. */
  readonly containerName: string;
  readonly probeType: ProbeType;
  /** The probe's handler path, e.g. `spec.containers[0].livenessProbe.tcpSocket`. */
  readonly fieldPath: string;

  constructor(pod: Pod, port: ProbePortName, container: string, probeType: ProbeType, fieldPath: string) {
    const what = port === 'tcpDialer' ? 'TcpDialer' : 'GrpcHealthChecker';
    const node = port === 'tcpDialer' ? 'NodeTcpDialer' : 'NodeGrpcHealthChecker';
    super(
      'ERR_MISSING_PORT',
      `Pod ${goQuote(pod.metadata?.name ?? '')}: ${fieldPath} needs a ${what}, but the manager was given ` +
        `no \`${port}\`; pass one (e.g. \`new LifecycleManager({ ..., ${port}: new ${node}() })\` from ` +
        `kube-lifecycle/node, or the testing kit's fake) or remove the probe`,
    );
    this.port = port;
    this.containerName = container;
    this.probeType = probeType;
    this.fieldPath = fieldPath;
  }
}

/** The optional ports a manager holds; only presence matters. */
export interface ProbePorts {
  readonly tcpDialer?: unknown;
  readonly grpcHealthChecker?: unknown;
}

/**
 * The first probe of `pod` (containers, then init containers, each in probe order startup,
 * readiness, liveness) whose handler needs a port missing from `ports`, as a
 * {@link MissingPortError}; `undefined` when every probe can run. Pure; never throws.
 */
export function findMissingProbePort(pod: Pod, ports: ProbePorts): MissingPortError | undefined {
  const lists: Array<[string, unknown]> = [
    ['containers', pod.spec?.containers],
    ['initContainers', pod.spec?.initContainers],
  ];
  for (const [listName, list] of lists) {
    if (!Array.isArray(list)) continue;
    for (const [index, container] of (list as Container[]).entries()) {
      if (container === null || typeof container !== 'object') continue;
      for (const type of PROBE_TYPES) {
        const probe = resolveProbe(container, type);
        const kind = probe?.action.kind;
        const port: ProbePortName | undefined =
          kind === 'tcpSocket' && ports.tcpDialer === undefined
            ? 'tcpDialer'
            : kind === 'grpc' && ports.grpcHealthChecker === undefined
              ? 'grpcHealthChecker'
              : undefined;
        if (port !== undefined && kind !== undefined) {
          const fieldPath = `spec.${listName}[${index}].${PROBE_FIELDS[type]}.${kind}`;
          return new MissingPortError(pod, port, String(container.name ?? ''), type, fieldPath);
        }
      }
    }
  }
  return undefined;
}
