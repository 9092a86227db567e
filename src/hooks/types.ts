import type { Container, HookName, Pod } from '../api/types.js';
import type { Clock } from '../ports/clock.js';
import type { HttpClient } from '../ports/http-client.js';
import type { ContainerRef, Runtime } from '../ports/runtime.js';
import type { KubeEvent } from './events.js';

/** The part of the lifecycle policy (`LifecyclePolicy`, DESIGN §8) that handlers read. */
export interface HookPolicy {
  /** How an httpGet hook's status code is judged (`'ignore'`: as the kubelet, k/k#56963). */
  readonly httpStatus: 'ignore' | 'probe';
}

/** Everything the handler runner needs to run one hook (plain data plus the ports). */
export interface HandlerRunContext {
  /** The pod, already API-defaulted (path "/", scheme "HTTP", TGPS 30). */
  readonly pod: Pod;
  readonly container: Container;
  readonly ref: ContainerRef;
  readonly hook: HookName;
  readonly runtime: Runtime;
  readonly httpClient: HttpClient;
  readonly clock: Clock;
  /** `major.minor`, used in `User-Agent: kube-lifecycle/<kubeletVersion>` and for version-dependent event texts. */
  readonly kubeletVersion: string;
  readonly policy: HookPolicy;
  /** Aborted when the manager abandons the hook (grace expired, policy timeout). */
  readonly signal: AbortSignal;
  /** Emit an event (the runner uses it for the pod-level `LifecycleHTTPFallback`). */
  readonly emit: (event: Omit<KubeEvent, 'timestamp'>) => void;
}

/** The result of running a handler. The runner never throws or rejects. */
export type HandlerOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** The bare error, e.g. `command 'false' exited with 1: ` (spec §5). */
      readonly error: string;
      /** The kubelet's detail message, e.g. `Exec lifecycle hook ([false]) for Container "web" in Pod "p_default(uid)" failed - error: …, message: "…"`. */
      readonly message: string;
    };
