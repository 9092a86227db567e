/**
 * Restart policies (spec pod §1.1, §2.3): the pod's `restartPolicy` (`validateRestartPolicy`), and
 * with gate `ContainerRestartRules` (beta, on in 1.35) the container-level `restartPolicy` and
 * `restartPolicyRules` (`validateContainerRestartPolicy`, `validateInitContainerRestartPolicy`),
 * as `pkg/apis/core/validation/validation.go` [V] has them (k/k#132642; 1.35 reports too many
 * rules or exit codes with `field.TooLong`, k/k#137135, changed to `TooMany` in 1.36 by k/k#137136).
 *
 * @module
 */
import { type FieldError, forbidden, notSupported, required, tooLong } from './field-error.js';
import {
  isUnset,
  type ListBudget,
  own,
  readInt32,
  readList,
  readObject,
  readString,
  type UnknownRecord,
} from './input-reader.js';
import { MAX_LIST_ITEMS } from './limits.js';

/** `validateRestartPolicy`'s list, in Go's order (not sorted). */
export const SUPPORTED_POD_RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;

/** `supportedContainerRestartPolicies`, as `sets.List` prints it (sorted). */
export const SUPPORTED_CONTAINER_RESTART_POLICIES = ['Always', 'Never', 'OnFailure'] as const;

/** `supportedContainerRestartRuleActions` without the alpha `RestartAllContainers` (off in 1.35). */
export const SUPPORTED_RESTART_RULE_ACTIONS = ['Restart'] as const;

/** `supportedContainerRestartPolicyOperators`, sorted. */
export const SUPPORTED_RESTART_RULE_OPERATORS = ['In', 'NotIn'] as const;

/** Most `restartPolicyRules` per container. */
export const MAX_RESTART_POLICY_RULES = 20;

/** Most `exitCodes.values` per rule. */
export const MAX_RESTART_RULE_EXIT_CODES = 255;

/** `validateRestartPolicy` on the defaulted `spec.restartPolicy` (spec pod §2.3). */
export function validatePodRestartPolicy(errors: FieldError[], spec: UnknownRecord): void {
  const path = 'spec.restartPolicy';
  const raw = own(spec, 'restartPolicy');
  const policy = readString(errors, raw, path);
  if (policy === undefined && !isUnset(raw)) return;
  if (policy === undefined || policy === '') errors.push(required(path));
  else if (!(SUPPORTED_POD_RESTART_POLICIES as readonly string[]).includes(policy)) {
    errors.push(notSupported(path, policy, SUPPORTED_POD_RESTART_POLICIES));
  }
}

function validateRule(errors: FieldError[], item: unknown, path: string, budget: ListBudget | undefined): void {
  const rule = readObject(errors, item, path);
  if (rule === undefined) {
    // Go cannot hold a nil rule; a JSON null decodes as the zero rule (action "", no exitCodes).
    if (!isUnset(item)) return;
  }
  const rawAction = rule === undefined ? undefined : own(rule, 'action');
  const action = readString(errors, rawAction, `${path}.action`);
  if (action !== undefined || isUnset(rawAction)) {
    if (!(SUPPORTED_RESTART_RULE_ACTIONS as readonly string[]).includes(action ?? '')) {
      errors.push(notSupported(`${path}.action`, action ?? '', SUPPORTED_RESTART_RULE_ACTIONS));
    }
  }
  const exitCodesPath = `${path}.exitCodes`;
  const rawExitCodes = rule === undefined ? undefined : own(rule, 'exitCodes');
  const exitCodes = readObject(errors, rawExitCodes, exitCodesPath);
  if (exitCodes === undefined) {
    if (isUnset(rawExitCodes)) errors.push(required(exitCodesPath, 'must be specified'));
    return;
  }
  const rawOperator = own(exitCodes, 'operator');
  const operator = readString(errors, rawOperator, `${exitCodesPath}.operator`);
  if (operator !== undefined || isUnset(rawOperator)) {
    if (!(SUPPORTED_RESTART_RULE_OPERATORS as readonly string[]).includes(operator ?? '')) {
      errors.push(notSupported(`${exitCodesPath}.operator`, operator ?? '', SUPPORTED_RESTART_RULE_OPERATORS));
    }
  }
  const valuesPath = `${exitCodesPath}.values`;
  const values = readList(errors, own(exitCodes, 'values'), valuesPath, MAX_LIST_ITEMS, budget);
  if (values === undefined) return;
  for (let i = 0; i < values.length; i++) readInt32(errors, values[i], `${valuesPath}[${i}]`);
  if (values.length > MAX_RESTART_RULE_EXIT_CODES) {
    errors.push(tooLong(valuesPath, values, MAX_RESTART_RULE_EXIT_CODES));
  }
}

/**
 * `validateContainerRestartPolicy` for a regular container, or a non-sidecar init container, at
 * `path` (gate on): rules need an explicit `restartPolicy` (`Required: must specify restartPolicy
 * when restart rules are used`); `restartPolicy` is one of Always, Never, OnFailure; at most 20
 * rules; each rule's `action` is `Restart`, its `exitCodes` is required (`must be specified`),
 * its `operator` is In or NotIn, its `values` at most 255.
 */
export function validateContainerRestartPolicy(
  errors: FieldError[],
  container: UnknownRecord,
  path: string,
  budget: ListBudget | undefined,
): void {
  const policyPath = `${path}.restartPolicy`;
  const rawPolicy = own(container, 'restartPolicy');
  const policy = readString(errors, rawPolicy, policyPath);
  const rulesPath = `${path}.restartPolicyRules`;
  const rules = readList(errors, own(container, 'restartPolicyRules'), rulesPath, MAX_LIST_ITEMS, budget) ?? [];
  if (isUnset(rawPolicy)) {
    if (rules.length === 0) return;
    errors.push(required(policyPath, 'must specify restartPolicy when restart rules are used'));
  } else if (policy !== undefined && !(SUPPORTED_CONTAINER_RESTART_POLICIES as readonly string[]).includes(policy)) {
    errors.push(notSupported(policyPath, policy, SUPPORTED_CONTAINER_RESTART_POLICIES));
  }
  if (rules.length > MAX_RESTART_POLICY_RULES) errors.push(tooLong(rulesPath, rules, MAX_RESTART_POLICY_RULES));
  for (let i = 0; i < rules.length; i++) validateRule(errors, rules[i], `${rulesPath}[${i}]`, budget);
}

/**
 * `validateInitContainerRestartPolicy` (gate on): `Always` makes a sidecar, which may not have
 * rules (`Forbidden: restartPolicyRules are not allowed for init containers with restart policy
 * Always`); no policy with rules is only `Required` (the rules are not looked at, unlike a regular
 * container's); any other policy is checked as {@link validateContainerRestartPolicy}.
 */
export function validateInitContainerRestartPolicy(
  errors: FieldError[],
  container: UnknownRecord,
  path: string,
  budget: ListBudget | undefined,
): void {
  const policy = own(container, 'restartPolicy');
  if (isUnset(policy)) {
    const rules = own(container, 'restartPolicyRules');
    if (Array.isArray(rules) ? rules.length > 0 : !isUnset(rules))
      errors.push(required(`${path}.restartPolicy`, 'must specify restartPolicy when restart rules are used'));
    return;
  }
  if (policy !== 'Always') {
    validateContainerRestartPolicy(errors, container, path, budget);
    return;
  }
  const rules = own(container, 'restartPolicyRules');
  if (Array.isArray(rules) ? rules.length > 0 : !isUnset(rules)) {
    errors.push(
      forbidden(
        `${path}.restartPolicyRules`,
        'restartPolicyRules are not allowed for init containers with restart policy Always',
      ),
    );
  }
}
