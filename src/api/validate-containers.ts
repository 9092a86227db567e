/**
 * The container-list part of `ValidatePodSpec` that lifecycle semantics depend on (spec §2 rules
 * 6–8, spec pod §2.2–2.3): names (required, DNS-1123 label, unique), where `lifecycle` and probes
 * may appear, probes, and container restart policies and rules. Other container fields (image,
 * ports, resources, …) are not validated.
 *
 * @module
 */

import { PROBE_FIELDS as PROBES } from './defaulting.js';
import { duplicate, type FieldError, forbidden, internalError, invalid, required, typeInvalid } from './field-error.js';
import {
  isUnset,
  type ListBudget,
  own,
  readList,
  readObject,
  readString,
  TYPE_DETAIL,
  type UnknownRecord,
} from './input-reader.js';
import { MAX_CONTAINERS_PER_LIST } from './limits.js';
import { type LifecycleValidationOptions, validateLifecycleAt } from './validate-lifecycle.js';
import { isDNS1123Label } from './validate-port.js';
import { validateProbe } from './validate-probe.js';
import { validateContainerRestartPolicy, validateInitContainerRestartPolicy } from './validate-restart-policy.js';

/**
 * The fields of ours an ephemeral container may not set (spec §2 rule 7), in the Container
 * struct's order, which `validateFieldAllowList` walks: ports, restart fields, probes, lifecycle.
 */
export const EPHEMERAL_FORBIDDEN = ['ports', 'restartPolicy', 'restartPolicyRules', ...PROBES, 'lifecycle'] as const;

/** A well-typed container entry with its index and path. */
interface ContainerEntry {
  readonly container: UnknownRecord;
  readonly path: string;
  /** `undefined` when missing or of the wrong type (already reported). */
  readonly name: string | undefined;
}

/**
 * Reads one container list entry: reports a wrong type and the name checks of
 * `validateContainerCommon` (required, DNS-1123 label). `undefined` when not an object.
 */
function readContainer(errors: FieldError[], item: unknown, path: string): ContainerEntry | undefined {
  const container = readObject(errors, item, path);
  if (container === undefined) {
    if (isUnset(item)) errors.push(typeInvalid(path, item, TYPE_DETAIL.object));
    return undefined;
  }
  const rawName = own(container, 'name');
  const name = readString(errors, rawName, `${path}.name`);
  if (name === undefined || name === '') {
    if (name === '' || isUnset(rawName)) errors.push(required(`${path}.name`));
  } else {
    for (const message of isDNS1123Label(name)) errors.push(invalid(`${path}.name`, name, message));
  }
  // Go's zero value for a missing name is "", which takes part in the uniqueness check.
  return { container, path, name: name ?? (isUnset(rawName) ? '' : undefined) };
}

/** Visits each well-typed entry of a container list, in order. */
function forEachContainer(
  errors: FieldError[],
  value: unknown,
  path: string,
  budget: ListBudget | undefined,
  visit: (entry: ContainerEntry) => void,
): void {
  const list = readList(errors, value, path, MAX_CONTAINERS_PER_LIST, budget) ?? [];
  for (let i = 0; i < list.length; i++) {
    const itemPath = `${path}[${i}]`;
    try {
      const entry = readContainer(errors, list[i], itemPath);
      if (entry !== undefined) visit(entry);
    } catch (error) {
      // Only hostile objects (throwing getters, revoked proxies) get here.
      errors.push(internalError(itemPath, error));
    }
  }
}

/** The three probes (spec §2 rule 8, spec pod §2.2), liveness, readiness, startup. */
function validateProbes(errors: FieldError[], entry: ContainerEntry, options: LifecycleValidationOptions): void {
  for (const probeName of PROBES) {
    const probe = own(entry.container, probeName);
    if (isUnset(probe)) continue; // validateProbe has nothing to say (and its path is not built)
    for (const error of validateProbe(probe, probeName, `${entry.path}.${probeName}`, options)) errors.push(error);
  }
}

/** `isDefaulted`: the entry is of a list `applyDefaults` just defaulted whole (see `validateLifecycleAt`). */
function validateAllowedLifecycle(
  errors: FieldError[],
  entry: ContainerEntry,
  options: LifecycleValidationOptions,
  isDefaulted: boolean,
): void {
  const lifecycle = own(entry.container, 'lifecycle');
  if (!isUnset(lifecycle)) {
    for (const error of validateLifecycleAt(lifecycle, `${entry.path}.lifecycle`, options, isDefaulted))
      errors.push(error);
  }
  validateProbes(errors, entry, options);
}

/**
 * Validates `spec.containers`, `spec.initContainers` and `spec.ephemeralContainers` as
 * `validateContainers` / `validateInitContainers` / `validateEphemeralContainers` do, limited to
 * names, lifecycle, probes and restart policies, on a pod whose disabled-gate fields were already
 * dropped (so the container restart fields are validated as with the gate on). A list longer than
 * `MAX_CONTAINERS_PER_LIST` is one `FieldValueTooMany`. Linear in the number of containers.
 * `defaultedLists`: the lists `applyDefaults` just copied with every container defaulted.
 */
export function validateContainerLists(
  errors: FieldError[],
  spec: UnknownRecord,
  options: LifecycleValidationOptions,
  defaultedLists: readonly unknown[] = [],
): void {
  // Regular containers: at least one; names unique among them (spec §2 rules 1–5, 8).
  const rawContainers = own(spec, 'containers');
  if (isUnset(rawContainers) || (Array.isArray(rawContainers) && rawContainers.length === 0)) {
    errors.push(required('spec.containers'));
  }
  const containersDefaulted = defaultedLists.includes(rawContainers);
  const budget = options.listBudget;
  const names = new Set<string>();
  forEachContainer(errors, rawContainers, 'spec.containers', budget, (entry) => {
    if (entry.name !== undefined) {
      if (names.has(entry.name)) errors.push(duplicate(`${entry.path}.name`, entry.name));
      else names.add(entry.name);
    }
    validateAllowedLifecycle(errors, entry, options, containersDefaulted);
    validateContainerRestartPolicy(errors, entry.container, entry.path, budget);
  });

  // Init containers: a lifecycle only on sidecars (restartPolicy: Always), spec §2 rule 6.
  let emptyInitName = false;
  const rawInit = own(spec, 'initContainers');
  const initDefaulted = defaultedLists.includes(rawInit);
  forEachContainer(errors, rawInit, 'spec.initContainers', budget, (entry) => {
    validateInitContainerRestartPolicy(errors, entry.container, entry.path, budget);
    const restartPolicy = own(entry.container, 'restartPolicy');
    if (entry.name !== undefined) {
      if (names.has(entry.name)) errors.push(duplicate(`${entry.path}.name`, entry.name));
      else if (entry.name.length > 0) names.add(entry.name);
      else emptyInitName = true;
    }
    if (restartPolicy === 'Always') {
      validateAllowedLifecycle(errors, entry, options, initDefaulted);
      return;
    }
    for (const field of ['lifecycle', ...PROBES] as const) {
      if (!isUnset(own(entry.container, field))) {
        errors.push(
          forbidden(`${entry.path}.${field}`, 'may not be set for init containers without restartPolicy=Always'),
        );
      }
    }
  });

  // Ephemeral containers: names unique across all lists; no ports, restart fields, probes or lifecycle, spec §2 rule 7.
  if (emptyInitName) names.add('');
  forEachContainer(errors, own(spec, 'ephemeralContainers'), 'spec.ephemeralContainers', budget, (entry) => {
    if (entry.name !== undefined) {
      if (names.has(entry.name)) errors.push(duplicate(`${entry.path}.name`, entry.name));
      else names.add(entry.name);
    }
    for (const field of EPHEMERAL_FORBIDDEN) {
      if (!isUnset(own(entry.container, field))) {
        errors.push(forbidden(`${entry.path}.${field}`, 'cannot be set for an Ephemeral Container'));
      }
    }
  });
}
