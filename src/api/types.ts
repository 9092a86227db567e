/**
 * Kubernetes v1 shapes for the parts of a Pod that lifecycle hooks and grace periods touch
 * (spec §1.1). Field names are exactly the API's, so JSON from `kubectl get -o json`, parsed YAML
 * manifests and `@kubernetes/client-node` objects (`V1Pod`, `V1Container`, …) are accepted as they
 * are. Every field is optional where the API marks it optional; unknown fields are allowed and ignored.
 *
 * @module
 */
import type { Probe } from './probe-types.js';

export type { GRPCAction, Probe, ProbeHandler } from './probe-types.js';

/** A number or a string, as Kubernetes `intstr.IntOrString` (ports, named ports). */
export type IntOrString = number | string;

/** `ExecAction`: a command run in the container directly, not through a shell; exit 0 is success. */
export interface ExecAction {
  /** argv; the working directory is `/`. Required and non-empty for a lifecycle handler. */
  command?: readonly string[] | undefined;
}

/** `HTTPHeader`: one request header; repeated names are allowed and names are canonicalised. */
export interface HTTPHeader {
  readonly name: string;
  readonly value: string;
}

/** `HTTPGetAction`: an HTTP GET sent by the kubelet (here: by the injected `HttpClient`). */
export interface HTTPGetAction {
  /** Path (and optional query) to request. @default "/" (API-server defaulting) */
  path?: string | undefined;
  /** A number 1–65535 or the name of a container port (IANA_SVC_NAME). Required. */
  port: IntOrString;
  /** Host to connect to. @default the first pod IP */
  host?: string | undefined;
  /** `"HTTP"` or `"HTTPS"`. @default "HTTP" (API-server defaulting) */
  scheme?: 'HTTP' | 'HTTPS' | (string & {}) | undefined;
  /** Custom headers; names are canonicalised, repeats are sent as repeats. */
  httpHeaders?: readonly HTTPHeader[] | undefined;
}

/** `TCPSocketAction`: accepted by validation but always fails at runtime as a lifecycle handler (spec §5.4). */
export interface TCPSocketAction {
  port: IntOrString;
  host?: string | undefined;
}

/**
 * `SleepAction`: wait `seconds` (0 returns at once) on the injected clock. A missing `seconds`
 * decodes as 0, as Go's JSON decoding does (valid since 1.34).
 */
export interface SleepAction {
  seconds: number;
}

/** `LifecycleHandler`: one and only one of exec, httpGet, sleep (tcpSocket validates but fails). */
export interface LifecycleHandler {
  exec?: ExecAction | undefined;
  httpGet?: HTTPGetAction | undefined;
  tcpSocket?: TCPSocketAction | undefined;
  sleep?: SleepAction | undefined;
}

/** All signal names the `Signal` enum of core/v1 allows (spec §1.1). */
export const SIGNAL_NAMES = [
  'SIGABRT',
  'SIGALRM',
  'SIGBUS',
  'SIGCHLD',
  'SIGCLD',
  'SIGCONT',
  'SIGFPE',
  'SIGHUP',
  'SIGILL',
  'SIGINT',
  'SIGIO',
  'SIGIOT',
  'SIGKILL',
  'SIGPIPE',
  'SIGPOLL',
  'SIGPROF',
  'SIGPWR',
  'SIGQUIT',
  'SIGSEGV',
  'SIGSTKFLT',
  'SIGSTOP',
  'SIGSYS',
  'SIGTERM',
  'SIGTRAP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGUSR1',
  'SIGUSR2',
  'SIGVTALRM',
  'SIGWINCH',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGRTMIN',
  'SIGRTMIN+1',
  'SIGRTMIN+2',
  'SIGRTMIN+3',
  'SIGRTMIN+4',
  'SIGRTMIN+5',
  'SIGRTMIN+6',
  'SIGRTMIN+7',
  'SIGRTMIN+8',
  'SIGRTMIN+9',
  'SIGRTMIN+10',
  'SIGRTMIN+11',
  'SIGRTMIN+12',
  'SIGRTMIN+13',
  'SIGRTMIN+14',
  'SIGRTMIN+15',
  'SIGRTMAX-14',
  'SIGRTMAX-13',
  'SIGRTMAX-12',
  'SIGRTMAX-11',
  'SIGRTMAX-10',
  'SIGRTMAX-9',
  'SIGRTMAX-8',
  'SIGRTMAX-7',
  'SIGRTMAX-6',
  'SIGRTMAX-5',
  'SIGRTMAX-4',
  'SIGRTMAX-3',
  'SIGRTMAX-2',
  'SIGRTMAX-1',
  'SIGRTMAX',
] as const;

/** A signal name of the core/v1 `Signal` enum. */
export type Signal = (typeof SIGNAL_NAMES)[number];

/** `Lifecycle` (`container.lifecycle`). */
export interface Lifecycle {
  /** Runs right after the container starts; the container is not Running until it succeeds. */
  postStart?: LifecycleHandler | undefined;
  /** Runs before an API- or management-initiated stop; charged to the grace period. */
  preStop?: LifecycleHandler | undefined;
  /**
   * Signal that stops the container (1.33+, gate `ContainerStopSignals`, needs `spec.os.name`).
   * Typed `string` so client-node objects fit; validation checks it against {@link SIGNAL_NAMES}.
   */
  stopSignal?: Signal | (string & {}) | undefined;
}

/** `ContainerPort` (only what named-port resolution needs). */
export interface ContainerPort {
  containerPort: number;
  name?: string | undefined;
  protocol?: string | undefined;
  hostPort?: number | undefined;
  hostIP?: string | undefined;
}

/** `EnvVar` (literal values only are used by the adapters; `valueFrom` is ignored). */
export interface EnvVar {
  name: string;
  value?: string | undefined;
}

/** `ContainerRestartRuleOnExitCodes`: which exit codes a {@link ContainerRestartRule} matches. */
export interface ContainerRestartRuleOnExitCodes {
  /** `"In"`: the exit code is one of `values`; `"NotIn"`: it is none of them. Required. */
  operator: 'In' | 'NotIn' | (string & {});
  /** A set of exit codes (at most 255; duplicates allowed). @default [] */
  values?: readonly number[] | undefined;
}

/**
 * `ContainerRestartRule` (gate `ContainerRestartRules`, beta and on in 1.35): overrides the
 * container's `restartPolicy` for the exit codes it matches.
 *
 * @example { action: 'Restart', exitCodes: { operator: 'In', values: [42] } }
 */
export interface ContainerRestartRule {
  /** `"Restart"` (`RestartAllContainers` needs an alpha gate that is off in 1.35). Required. */
  action: 'Restart' | (string & {});
  /** Required: the rule matches on exit codes only. */
  exitCodes?: ContainerRestartRuleOnExitCodes | undefined;
}

/** `Container` (regular, init or ephemeral), with the fields lifecycle semantics read. */
export interface Container {
  name: string;
  image?: string | undefined;
  command?: readonly string[] | undefined;
  args?: readonly string[] | undefined;
  env?: readonly EnvVar[] | undefined;
  workingDir?: string | undefined;
  ports?: readonly ContainerPort[] | undefined;
  lifecycle?: Lifecycle | undefined;
  /**
   * `"Always"` on an init container makes it a sidecar (restartable init container). With gate
   * `ContainerRestartRules` (on in 1.35) `Always`, `OnFailure` or `Never` on any regular or init
   * container overrides the pod's `restartPolicy` for that container.
   */
  restartPolicy?: 'Always' | 'OnFailure' | 'Never' | (string & {}) | undefined;
  /** Rules on exit codes that override `restartPolicy` (which must then be set); at most 20. */
  restartPolicyRules?: readonly ContainerRestartRule[] | undefined;
  /** Restarts the container when it fails (spec pod §6). */
  livenessProbe?: Probe | undefined;
  /** Holds back liveness and readiness until it succeeds once (spec pod §6). */
  startupProbe?: Probe | undefined;
  /** Decides `ready` (spec pod §5.3, §6). */
  readinessProbe?: Probe | undefined;
}

/**
 * `ObjectMeta` (only what lifecycle semantics read).
 *
 * The API server requires `name` on create unless `generateName` is given (it then generates
 * one); {@link validatePod} does the same. `namespace` comes from the request, so it is optional.
 */
export interface ObjectMeta {
  /** Required (or `generateName`); a DNS-1123 subdomain, e.g. `web-0`. */
  name?: string | undefined;
  /** A prefix the API server completes with 5 random characters when `name` is empty. */
  generateName?: string | undefined;
  /** @default "default" in the manager and the CLI */
  namespace?: string | undefined;
  uid?: string | undefined;
  /** Written by the API server on graceful delete (spec §4.1). */
  deletionGracePeriodSeconds?: number | undefined;
  /** Written by the API server on graceful delete; RFC 3339 in JSON, `Date` in client-node. */
  deletionTimestamp?: string | Date | undefined;
}

/** `PodOS`. */
export interface PodOS {
  name: 'linux' | 'windows' | (string & {});
}

/** `PodSpec` (only what lifecycle semantics read). */
export interface PodSpec {
  containers: readonly Container[];
  initContainers?: readonly Container[] | undefined;
  ephemeralContainers?: readonly Container[] | undefined;
  /** @default 30 (API-server defaulting); 0 = kill immediately; negative is treated as 1. */
  terminationGracePeriodSeconds?: number | undefined;
  os?: PodOS | undefined;
  nodeName?: string | undefined;
  /** Restart policy of every container that sets none. @default "Always" (API-server defaulting) */
  restartPolicy?: 'Always' | 'OnFailure' | 'Never' | (string & {}) | undefined;
}

/** `PodIP`. */
export interface PodIP {
  ip: string;
}

/**
 * `PodStatus` as a pod handed in may carry it (only the pod IPs are read: the default httpGet
 * host). Loose, so `V1PodStatus` objects are accepted as they are; the status the manager
 * publishes is the precise {@link PodStatus} of `pod-status.ts`.
 */
export interface PodStatusInput {
  podIP?: string | undefined;
  podIPs?: readonly PodIP[] | undefined;
  phase?: string | undefined;
}

/** `Pod`. Readonly input (`as const` objects, readonly arrays) is accepted. */
export interface Pod {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata?: ObjectMeta | undefined;
  spec?: PodSpec | undefined;
  status?: PodStatusInput | undefined;
}

/** The hook names as the kubelet spells them in messages. */
export type HookName = 'PostStart' | 'PreStop';
