/**
 * Kubernetes v1 shapes for the parts of a Pod that lifecycle hooks and grace periods touch
 * (spec §1.1). Field names are exactly the API's, so JSON from `kubectl get -o json`, parsed YAML
 * manifests and `@kubernetes/client-node` objects (`V1Pod`, `V1Container`, …) are accepted as they
 * are. Every field is optional where the API marks it optional; unknown fields are allowed and ignored.
 *
 * @module
 */

/** A number or a string, as Kubernetes `intstr.IntOrString` (ports, named ports). */
export type IntOrString = number | string;

/** `ExecAction`: a command run in the container directly, not through a shell; exit 0 is success. */
export interface ExecAction {
  /** argv; the working directory is `/`. Required and non-empty for a lifecycle handler. */
  command?: string[];
}

/** `HTTPHeader`: one request header; repeated names are allowed and names are canonicalised. */
export interface HTTPHeader {
  name: string;
  value: string;
}

/** `HTTPGetAction`: an HTTP GET sent by the kubelet (here: by the injected `HttpClient`). */
export interface HTTPGetAction {
  /** Path (and optional query) to request. @default "/" (API-server defaulting) */
  path?: string;
  /** A number 1–65535 or the name of a container port (IANA_SVC_NAME). Required. */
  port: IntOrString;
  /** Host to connect to. @default the first pod IP */
  host?: string;
  /** `"HTTP"` or `"HTTPS"`. @default "HTTP" (API-server defaulting) */
  scheme?: string;
  /** Custom headers; names are canonicalised, repeats are sent as repeats. */
  httpHeaders?: HTTPHeader[];
}

/** `TCPSocketAction`: accepted by validation but always fails at runtime as a lifecycle handler (spec §5.4). */
export interface TCPSocketAction {
  port: IntOrString;
  host?: string;
}

/** `SleepAction`: wait `seconds` (0 returns at once) on the injected clock. */
export interface SleepAction {
  seconds: number;
}

/** `LifecycleHandler`: one and only one of exec, httpGet, sleep (tcpSocket validates but fails). */
export interface LifecycleHandler {
  exec?: ExecAction;
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  sleep?: SleepAction;
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
  postStart?: LifecycleHandler;
  /** Runs before an API- or management-initiated stop; charged to the grace period. */
  preStop?: LifecycleHandler;
  /** Signal that stops the container (1.33+, needs `spec.os.name`). Typed `string` so client-node objects fit. */
  stopSignal?: string;
}

/** `ContainerPort` (only what named-port resolution needs). */
export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: string;
  hostPort?: number;
  hostIP?: string;
}

/** `EnvVar` (literal values only are used by the adapters; `valueFrom` is ignored). */
export interface EnvVar {
  name: string;
  value?: string;
}

/** `Probe`: only the fields lifecycle semantics read (spec §2 rule 8, §4.2-C.1). */
export interface Probe {
  /** Overrides the pod grace for kills caused by this probe (liveness/startup only); minimum 1. */
  terminationGracePeriodSeconds?: number;
}

/** `Container` (regular, init or ephemeral), with the fields lifecycle semantics read. */
export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  ports?: ContainerPort[];
  lifecycle?: Lifecycle;
  /** `"Always"` on an init container makes it a sidecar (restartable init container). */
  restartPolicy?: string;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  readinessProbe?: Probe;
}

/** `ObjectMeta` (only what lifecycle semantics read). */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  /** Written by the API server on graceful delete (spec §4.1). */
  deletionGracePeriodSeconds?: number;
  /** Written by the API server on graceful delete; RFC 3339 in JSON, `Date` in client-node. */
  deletionTimestamp?: string | Date;
}

/** `PodOS`. */
export interface PodOS {
  name: string;
}

/** `PodSpec` (only what lifecycle semantics read). */
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  /** @default 30 (API-server defaulting); 0 = kill immediately; negative is treated as 1. */
  terminationGracePeriodSeconds?: number;
  os?: PodOS;
  nodeName?: string;
  restartPolicy?: string;
}

/** `PodIP`. */
export interface PodIP {
  ip: string;
}

/** `PodStatus` (only the pod IPs are read: the default httpGet host). */
export interface PodStatus {
  podIP?: string;
  podIPs?: PodIP[];
  phase?: string;
}

/** `Pod`. */
export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: PodSpec;
  status?: PodStatus;
}

/** The hook names as the kubelet spells them in messages. */
export type HookName = 'PostStart' | 'PreStop';
