/**
 * Should a container restart after it exits? The kubelet's `ContainerShouldRestart` and
 * `IsContainerRestartable` (`pkg/api/v1/pod/util.go`, spec pod §3.1), with the 1.35 gate
 * `ContainerRestartRules` as an option.
 *
 * The container-level fields (`restartPolicy` on regular containers, `restartPolicyRules`) are read
 * defensively through a narrow local type: validation lives in `src/api`.
 *
 * @module
 */

/** Feature gates that change restart decisions (spec pod §1.2). */
export interface RestartGates {
  /** `ContainerRestartRules`: container-level `restartPolicy` and `restartPolicyRules`. @default true (beta, 1.35) */
  readonly containerRestartRules?: boolean;
}

/** The container fields a restart decision reads (a narrow view of `Container`). */
export interface RestartView {
  readonly restartPolicy?: unknown;
  readonly restartPolicyRules?: unknown;
}

/** Where a container is declared: regular init container, sidecar (restartable init), or regular. */
export type ContainerKind = 'init' | 'sidecar' | 'regular';

/** One `restartPolicyRules` entry whose shape is well formed. */
interface RestartRule {
  readonly action: string;
  readonly exitCodes?: { readonly operator: string; readonly values: readonly number[] };
}

function readRules(value: unknown): RestartRule[] {
  if (!Array.isArray(value)) return [];
  const rules: RestartRule[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') continue;
    const { action, exitCodes } = item as { action?: unknown; exitCodes?: unknown };
    if (typeof action !== 'string') continue;
    let codes: RestartRule['exitCodes'];
    if (exitCodes !== null && typeof exitCodes === 'object') {
      const { operator, values } = exitCodes as { operator?: unknown; values?: unknown };
      if (typeof operator === 'string') {
        const list = Array.isArray(values) ? values.filter((v): v is number => typeof v === 'number') : [];
        codes = { operator, values: list };
      }
    }
    rules.push(codes ? { action, exitCodes: codes } : { action });
  }
  return rules;
}

function ruleMatches(rule: RestartRule, exitCode: number): boolean {
  const codes = rule.exitCodes;
  if (!codes) return false; // rules without exitCodes never match (spec pod §3.1 step 1.1)
  if (codes.operator === 'In') return codes.values.includes(exitCode);
  if (codes.operator === 'NotIn') return !codes.values.includes(exitCode);
  return false; // unknown operator
}

function policyRestarts(policy: unknown, exitCode: number): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true; // Always, and any unknown value (spec pod §3.1 step 2)
}

function containerPolicy(container: RestartView, gates: RestartGates): string | undefined {
  if (gates.containerRestartRules === false) return undefined;
  const policy = container.restartPolicy;
  return typeof policy === 'string' && policy !== '' ? policy : undefined;
}

/**
 * `ContainerShouldRestart(container, podSpec, exitCode)` (spec pod §3.1): should a regular or
 * regular init container that exited with `exitCode` be restarted? Sidecars always restart; pass
 * `kind: 'sidecar'` for them.
 *
 * @example shouldContainerRestart({ kind: 'regular', container: {}, podRestartPolicy: 'OnFailure', exitCode: 0 }) // false
 */
export function shouldContainerRestart(input: {
  readonly kind: ContainerKind;
  readonly container: RestartView;
  readonly podRestartPolicy: string | undefined;
  readonly exitCode: number;
  readonly gates?: RestartGates;
}): boolean {
  const { kind, container, podRestartPolicy, exitCode, gates = {} } = input;
  if (kind === 'sidecar') return true; // spec pod §3.4 rule 3
  const own = containerPolicy(container, gates);
  if (own !== undefined) {
    const first = readRules(container.restartPolicyRules).find((rule) => ruleMatches(rule, exitCode));
    if (first?.action === 'Restart') return true;
    return policyRestarts(own, exitCode);
  }
  return policyRestarts(podRestartPolicy ?? 'Always', exitCode);
}

/** What {@link isContainerRestartable} and {@link restartsAfterProbeKill} read. */
export interface RestartInput {
  readonly kind: ContainerKind;
  readonly container: RestartView;
  readonly podRestartPolicy: string | undefined;
  readonly gates?: RestartGates;
}

/**
 * `IsContainerRestartable(pod, container)` (spec pod §3.1): could this container ever be
 * restarted, whatever its exit code? (A running container killed by a probe is judged by
 * {@link restartsAfterProbeKill} instead.)
 */
export function isContainerRestartable(input: RestartInput): boolean {
  const { kind, container, podRestartPolicy, gates = {} } = input;
  if (kind === 'sidecar') return true;
  const own = containerPolicy(container, gates);
  if (own !== undefined) {
    return readRules(container.restartPolicyRules).some((r) => r.action === 'Restart') || own !== 'Never';
  }
  return podRestartPolicy !== 'Never';
}

/**
 * Does the kubelet restart a running container it kills because a liveness or startup probe
 * failed (spec pod §3.2 rule 3, `computePodActions`)? The pod policy is not `Never`; with
 * `ContainerRestartRules` on, a container-level `restartPolicy` decides instead. Its
 * `restartPolicyRules` are not read: the container is still running, there is no exit code to
 * match (the 1.35 kubelet, k/k#133243). A rule may still restart it after its exit (137), in a
 * later sync, as any exit. Sidecars always restart.
 *
 * @example restartsAfterProbeKill({ kind: 'regular', container: { restartPolicy: 'Never' }, podRestartPolicy: 'Always' }) // false
 */
export function restartsAfterProbeKill(input: RestartInput): boolean {
  const { kind, container, podRestartPolicy, gates = {} } = input;
  if (kind === 'sidecar') return true;
  const own = containerPolicy(container, gates);
  return (own ?? podRestartPolicy) !== 'Never';
}
