/**
 * Reading a container's probes defensively, with the API server's defaults (spec pod §6,
 * `SetDefaults_Probe` and `SetDefaults_HTTPGetAction` of `pkg/apis/core/v1/defaults.go`).
 * Validation lives in `src/api`; this reader never throws and fills what is missing, so a pod that
 * skipped defaulting still probes as the kubelet would after the API server.
 *
 * @module
 */

import type { Container, HTTPGetAction, IntOrString } from '../api/types.js';

/** The three probe kinds, as the kubelet's `probeType` (lower case here, `Liveness` in messages). */
export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** Every probe type, in the order the kubelet's prober manager adds workers. */
export const PROBE_TYPES: readonly ProbeType[] = Object.freeze(['startup', 'readiness', 'liveness']);

/** The container field holding each probe type. */
export const PROBE_FIELDS = Object.freeze({
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
} as const satisfies Record<ProbeType, keyof Container>);

/** `Liveness`, `Readiness` or `Startup`: the kubelet's `probeType.String()` used in event messages. */
export function probeTypeLabel(type: ProbeType): 'Liveness' | 'Readiness' | 'Startup' {
  return type === 'liveness' ? 'Liveness' : type === 'readiness' ? 'Readiness' : 'Startup';
}

/** The `grpc` probe action: `grpc.health.v1.Health/Check` on the pod IP. */
export interface GRPCAction {
  port: number;
  /** The health service name sent in the request. @default "" (the server's overall health) */
  service?: string;
}

/**
 * A probe as the API shapes it (`core/v1.Probe`), narrowed to what the prober reads. The API
 * model in `src/api` may declare more; every field is read defensively.
 */
export interface ProbeSpec {
  exec?: { command?: string[] };
  httpGet?: HTTPGetAction;
  tcpSocket?: { port: IntOrString; host?: string };
  grpc?: GRPCAction;
  /** @default 0 */
  initialDelaySeconds?: number;
  /** @default 1 */
  timeoutSeconds?: number;
  /** @default 10 */
  periodSeconds?: number;
  /** @default 1 (must be 1 for liveness and startup) */
  successThreshold?: number;
  /** @default 3 */
  failureThreshold?: number;
  /** Grace for kills this probe causes (liveness/startup); unset = the pod's. */
  terminationGracePeriodSeconds?: number;
}

/** The handler a probe runs: exactly one, as validation guarantees (first found wins here). */
export type ProbeAction =
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'httpGet'; readonly httpGet: HTTPGetAction }
  | { readonly kind: 'tcpSocket'; readonly port: IntOrString; readonly host: string }
  | { readonly kind: 'grpc'; readonly port: number; readonly service: string }
  | { readonly kind: 'none' };

/** A probe with every default applied: what a worker runs. */
export interface ResolvedProbe {
  readonly type: ProbeType;
  readonly action: ProbeAction;
  readonly initialDelaySeconds: number;
  readonly timeoutSeconds: number;
  readonly periodSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  readonly terminationGracePeriodSeconds?: number;
}

/** The API defaults of `SetDefaults_Probe`: a zero or missing field gets these. */
export const PROBE_DEFAULTS = Object.freeze({
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A positive integer field, else the default (the API server turns 0 into the default). */
function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

function readAction(probe: Record<string, unknown>): ProbeAction {
  const { exec, httpGet, tcpSocket, grpc } = probe;
  if (isRecord(exec)) {
    return { kind: 'exec', command: Array.isArray(exec.command) ? exec.command.map((c) => String(c)) : [] };
  }
  if (isRecord(httpGet)) {
    // SetDefaults_HTTPGetAction: path "/", scheme HTTP.
    const path = typeof httpGet.path === 'string' && httpGet.path !== '' ? httpGet.path : '/';
    const scheme = typeof httpGet.scheme === 'string' && httpGet.scheme !== '' ? httpGet.scheme : 'HTTP';
    return { kind: 'httpGet', httpGet: { ...(httpGet as unknown as HTTPGetAction), path, scheme } };
  }
  if (isRecord(tcpSocket)) {
    const port = typeof tcpSocket.port === 'number' || typeof tcpSocket.port === 'string' ? tcpSocket.port : 0;
    return { kind: 'tcpSocket', port, host: typeof tcpSocket.host === 'string' ? tcpSocket.host : '' };
  }
  if (isRecord(grpc)) {
    return {
      kind: 'grpc',
      port: typeof grpc.port === 'number' ? grpc.port : 0,
      service: typeof grpc.service === 'string' ? grpc.service : '',
    };
  }
  return { kind: 'none' };
}

/**
 * The container's probe of `type` with the API defaults applied, or `undefined` when the
 * container defines none (then no worker runs, spec pod §6.1).
 *
 * @example
 * resolveProbe({ name: 'web', livenessProbe: { tcpSocket: { port: 80 } } }, 'liveness')
 * // → { type: 'liveness', action: { kind: 'tcpSocket', port: 80, host: '' }, periodSeconds: 10, … }
 */
export function resolveProbe(container: Container, type: ProbeType): ResolvedProbe | undefined {
  const raw: unknown = (container as unknown as Record<string, unknown>)[PROBE_FIELDS[type]];
  if (!isRecord(raw)) return undefined;
  const delay = raw.initialDelaySeconds;
  const tgps = raw.terminationGracePeriodSeconds;
  return {
    type,
    action: readAction(raw),
    initialDelaySeconds: typeof delay === 'number' && Number.isInteger(delay) && delay > 0 ? delay : 0,
    timeoutSeconds: positive(raw.timeoutSeconds, PROBE_DEFAULTS.timeoutSeconds),
    periodSeconds: positive(raw.periodSeconds, PROBE_DEFAULTS.periodSeconds),
    successThreshold: positive(raw.successThreshold, PROBE_DEFAULTS.successThreshold),
    failureThreshold: positive(raw.failureThreshold, PROBE_DEFAULTS.failureThreshold),
    ...(typeof tgps === 'number' && Number.isInteger(tgps) ? { terminationGracePeriodSeconds: tgps } : {}),
  };
}
