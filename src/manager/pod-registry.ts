/**
 * The manager's pod registry: one {@link PodRecord} per pod (keyed by UID, else namespace/name),
 * found from the pod a caller hands in after validation, and the lookups every manager call
 * starts with (a pod's record, a container of it, the record of a pod a worker runs).
 *
 * @internal
 * @module
 */

import type { Container, Pod } from '../api/types.js';
import type { ValidationOptions } from '../api/validation.js';
import { type ContainerRecord, containerRecords, containerSpec, type PodRecord, podKey } from '../container/records.js';
import { InvalidArgumentError, UnknownContainerError } from '../errors.js';
import type { PodRuns } from './pod-runs.js';
import { ValidatedPods } from './validated-pods.js';

/** The pod records of one manager. */
export class PodRegistry {
  readonly #pods = new Map<string, PodRecord>();
  readonly #validated: ValidatedPods;
  /** The record of each defaulted pod (a validation-cache hit answers the same defaulted object). */
  readonly #byDefaulted = new WeakMap<Pod, PodRecord>();
  readonly #runs: PodRuns;

  constructor(validation: ValidationOptions, runs: PodRuns) {
    this.#validated = new ValidatedPods(validation);
    this.#runs = runs;
  }

  /** The record of `pod` (validated: whole, or its own layers and `containerName`'s, see ValidatedPods). */
  podRecord(pod: Pod, containerName?: string): PodRecord {
    const defaulted = this.#validated.get(pod, containerName);
    const known = this.#byDefaulted.get(defaulted);
    if (known !== undefined && known.pod === defaulted) return known;
    const key = podKey(defaulted);
    let record = this.#pods.get(key);
    if (record === undefined) {
      const meta = defaulted.metadata ?? {};
      record = {
        key,
        name: meta.name ?? '',
        namespace: meta.namespace ?? 'default',
        uid: meta.uid ?? '',
        pod: defaulted,
        containers: containerRecords(defaulted),
        effectiveGraceSeconds: 0,
        terminationSettled: false,
        shortenedDuringPass: false,
        exitCalls: undefined,
      };
      this.#pods.set(key, record);
    } else if (record.pod !== defaulted && this.#runs.get(key) === undefined) {
      // A pod a worker runs keeps the copy it started with (a caller's later edit is not applied).
      record.pod = defaulted;
      for (const [name, fresh] of containerRecords(defaulted))
        if (!record.containers.has(name)) record.containers.set(name, fresh);
    }
    this.#byDefaulted.set(defaulted, record);
    return record;
  }

  /** The records of `pod` and of its container `containerName`; throws `UnknownContainerError`. */
  resolve(
    pod: Pod,
    containerName: string,
  ): { record: PodRecord; container: Container; containerRecord: ContainerRecord } {
    if (typeof containerName !== 'string')
      throw new InvalidArgumentError('containerName', containerName, 'the name of a container of the pod (a string)');
    const record = this.podRecord(pod, containerName);
    const containerRecord = record.containers.get(containerName);
    const container = containerRecord !== undefined ? containerSpec(record.pod, containerRecord) : undefined;
    if (container === undefined || containerRecord === undefined) {
      const known = [...(record.pod.spec?.initContainers ?? []), ...(record.pod.spec?.containers ?? [])].map(
        (c) => c.name,
      );
      throw new UnknownContainerError(record.name, String(containerName), known);
    }
    return { record, container, containerRecord };
  }

  /** The record of a pod a worker runs, found by its key (UID, else namespace/name) without validating it. */
  workerRecord(pod: Pod): PodRecord | undefined {
    if (pod === null || typeof pod !== 'object') return undefined;
    const meta: unknown = pod.metadata;
    if (meta !== undefined && (meta === null || typeof meta !== 'object')) return undefined;
    return this.#runs.get(podKey(pod))?.record;
  }
}

/** The record key of a pod handed in (its UID, else namespace/name), without validating it. */
export function keyOf(pod: Pod): string {
  if (pod === null || typeof pod !== 'object') throw new InvalidArgumentError('pod', pod, 'a Pod object');
  return podKey(pod);
}
