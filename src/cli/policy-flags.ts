import { InvalidArgumentError, kubernetesPolicy, type LifecyclePolicy, resolvePolicy } from '../index.js';
import { closest } from './args.js';
import { usageError } from './errors.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Option names of {@link LifecyclePolicy}, in documentation order. */
export const POLICY_KEYS = Object.keys(kubernetesPolicy) as ReadonlyArray<keyof LifecyclePolicy>;

/**
 * Turns `--policy key=value` flags (and scenario `policy:` entries) into a {@link LifecyclePolicy}:
 * numbers and booleans are converted by the option's type; the result is checked with
 * `resolvePolicy`, whose complaint becomes a usage error.
 */
export function parsePolicyFlags(
  command: string,
  flags: readonly string[],
  base: LifecyclePolicy = {},
): LifecyclePolicy {
  const policy: Mutable<LifecyclePolicy> = { ...base };
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0)
      throw usageError(command, `--policy ${JSON.stringify(flag)}: expected key=value, e.g. httpStatus=probe`);
    setPolicyOption(command, policy, flag.slice(0, eq), flag.slice(eq + 1));
  }
  return checkPolicy(command, policy);
}

/** Sets one option from text or a scenario value (string, number or boolean). */
export function setPolicyOption(command: string, policy: Mutable<LifecyclePolicy>, key: string, raw: unknown): void {
  if (!(POLICY_KEYS as readonly string[]).includes(key)) {
    const hint = closest(key, POLICY_KEYS);
    throw usageError(
      command,
      `unknown policy option ${JSON.stringify(key)}${hint === undefined ? '' : ` (did you mean ${hint}?)`}; known: ${POLICY_KEYS.join(', ')}`,
    );
  }
  const text = String(raw).trim();
  const options = policy as Record<string, unknown>;
  switch (key as keyof LifecyclePolicy) {
    case 'unfinishedPreStopEvent':
    case 'allowZeroSleep':
      if (text !== 'true' && text !== 'false')
        throw usageError(command, `policy ${key}: expected true or false, got ${JSON.stringify(text)}`);
      options[key] = text === 'true';
      return;
    case 'minimumStopGraceSeconds':
    case 'postStartTimeoutSeconds': {
      if (key === 'postStartTimeoutSeconds' && (text === 'none' || text === '')) {
        options[key] = undefined;
        return;
      }
      const value = Number(text.replace(/s$/, ''));
      if (text === '' || !Number.isFinite(value))
        throw usageError(command, `policy ${key}: expected a number of seconds, got ${JSON.stringify(text)}`);
      options[key] = value;
      return;
    }
    default:
      options[key] = text;
  }
}

/** Checks a policy with the library's own `resolvePolicy`. */
export function checkPolicy(command: string, policy: LifecyclePolicy): LifecyclePolicy {
  try {
    resolvePolicy(policy);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw usageError(command, `invalid --policy: ${error.message}`);
    throw error;
  }
  return policy;
}
