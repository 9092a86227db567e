import { InvalidArgumentError } from '../errors.js';
import type { HookPolicy } from '../hooks/types.js';

/**
 * Named deviations from Kubernetes (DESIGN §8). Every default is "as Kubernetes"; each option is
 * documented in `docs/semantics.md` with the Kubernetes issue it answers.
 */
export interface LifecyclePolicy {
  /**
   * How an httpGet hook's status code is judged.
   * - `'ignore'`: any response is success, 404 and 500 included (the kubelet, k/k#56963).
   * - `'probe'`: like HTTP probes, only 200–399 succeed; other statuses fail the hook.
   * @default 'ignore'
   */
  httpStatus?: HookPolicy['httpStatus'] | undefined;
  /**
   * Seconds after which a postStart hook counts as failed (FailedPostStartHook, kill). The hook's
   * work is abandoned (its abort signal fires). `undefined`: no timeout, as the kubelet (k/k#116032).
   * @default undefined
   */
  postStartTimeoutSeconds?: number | undefined;
  /**
   * What a second `deletePod` with a shorter grace does to a container already being killed.
   * - `'kubelet'`: nothing in flight changes; the preStop wait keeps the old budget and the
   *   runtime stop call is not shortened (spec §4.2-F, k/k#113717).
   * - `'interrupt'`: the preStop wait is cut to the new deadline, and a stop already handed to
   *   the runtime is re-issued with the shorter timeout.
   * @default 'kubelet'
   */
  shorterGraceDuringTermination?: 'kubelet' | 'interrupt' | undefined;
  /**
   * Emit a Warning `UnfinishedPreStopHook` event when preStop is still running at the grace
   * deadline (the kubelet only logs it, k/k#31902).
   * @default false
   */
  unfinishedPreStopEvent?: boolean | undefined;
  /**
   * The floor of the stop timeout handed to the runtime after preStop (the kubelet's
   * `minimumGracePeriodInSeconds`, the "one-off 2 second extension"). Integer ≥ 0.
   * @default 2
   */
  minimumStopGraceSeconds?: number | undefined;
  /**
   * Whether `sleep.seconds: 0` is valid (the `PodLifecycleSleepActionAllowZero` gate, GA in 1.34).
   * @default true
   */
  allowZeroSleep?: boolean | undefined;
}

/** A policy with every option filled in. */
export type ResolvedPolicy = {
  -readonly [K in Exclude<keyof LifecyclePolicy, 'postStartTimeoutSeconds'>]-?: Exclude<LifecyclePolicy[K], undefined>;
} & {
  readonly postStartTimeoutSeconds: number | undefined;
};

/** The Kubernetes behaviour: every option at its default. */
export const kubernetesPolicy: ResolvedPolicy = Object.freeze({
  httpStatus: 'ignore',
  postStartTimeoutSeconds: undefined,
  shorterGraceDuringTermination: 'kubelet',
  unfinishedPreStopEvent: false,
  minimumStopGraceSeconds: 2,
  allowZeroSleep: true,
});

/** Fill in defaults and check types; throws {@link InvalidArgumentError} on a bad option. */
export function resolvePolicy(policy: LifecyclePolicy | undefined): ResolvedPolicy {
  if (policy === undefined) return kubernetesPolicy;
  if (policy === null || typeof policy !== 'object') {
    throw new InvalidArgumentError('policy', policy, 'an object of policy options');
  }
  const known = Object.keys(kubernetesPolicy);
  for (const key of Object.keys(policy)) {
    if (!known.includes(key)) {
      throw new InvalidArgumentError(
        `policy.${key}`,
        (policy as Record<string, unknown>)[key],
        `a known option (${known.join(', ')})`,
      );
    }
  }
  const resolved = { ...kubernetesPolicy, ...stripUndefined(policy) } as ResolvedPolicy;
  oneOf('policy.httpStatus', resolved.httpStatus, ['ignore', 'probe']);
  oneOf('policy.shorterGraceDuringTermination', resolved.shorterGraceDuringTermination, ['kubelet', 'interrupt']);
  if (typeof resolved.unfinishedPreStopEvent !== 'boolean') {
    throw new InvalidArgumentError('policy.unfinishedPreStopEvent', resolved.unfinishedPreStopEvent, 'a boolean');
  }
  if (typeof resolved.allowZeroSleep !== 'boolean') {
    throw new InvalidArgumentError('policy.allowZeroSleep', resolved.allowZeroSleep, 'a boolean');
  }
  if (!Number.isSafeInteger(resolved.minimumStopGraceSeconds) || resolved.minimumStopGraceSeconds < 0) {
    throw new InvalidArgumentError(
      'policy.minimumStopGraceSeconds',
      resolved.minimumStopGraceSeconds,
      'an integer >= 0',
    );
  }
  const timeout = resolved.postStartTimeoutSeconds;
  if (timeout !== undefined && !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) {
    throw new InvalidArgumentError(
      'policy.postStartTimeoutSeconds',
      timeout,
      'a finite number of seconds > 0, or undefined',
    );
  }
  return Object.freeze(resolved);
}

function oneOf(name: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string)) {
    throw new InvalidArgumentError(name, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
