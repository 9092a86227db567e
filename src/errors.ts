/** Stable machine-readable codes of every error this library throws. */
export type LifecycleErrorCode =
  | 'ERR_LIFECYCLE_SPEC'
  | 'ERR_UNKNOWN_CONTAINER'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_IDEMPOTENCY_STORE'
  | 'ERR_INVALID_STATE';

/**
 * Base of every error the library throws for programmer mistakes (adapter faults never throw:
 * they become outcomes and events). Branch on `code`, which is stable across versions. The
 * adapters (`NodeAdapterError`) and the testing kit (`TestingError`) extend it with their own codes.
 */
export class LifecycleError<Code extends string = LifecycleErrorCode> extends Error {
  override readonly name: string = 'LifecycleError';
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A container name that the pod does not declare (among containers and init containers). */
export class UnknownContainerError extends LifecycleError {
  override readonly name = 'UnknownContainerError';
  readonly podName: string;
  readonly containerName: string;
  readonly knownContainers: readonly string[];

  constructor(podName: string, containerName: string, knownContainers: readonly string[]) {
    const known = knownContainers.length > 0 ? knownContainers.map((n) => `"${n}"`).join(', ') : 'none';
    super(
      'ERR_UNKNOWN_CONTAINER',
      `container "${containerName}" is not declared in pod "${podName}" (declared: ${known}); ` +
        'pass the name of one of spec.containers or spec.initContainers',
    );
    this.podName = podName;
    this.containerName = containerName;
    this.knownContainers = knownContainers;
  }
}

/** An option or argument has the wrong type or range (e.g. a negative `gracePeriodOverride`). */
export class InvalidArgumentError extends LifecycleError {
  override readonly name = 'InvalidArgumentError';
  readonly argument: string;
  readonly value: unknown;

  constructor(argument: string, value: unknown, expected: string) {
    super('ERR_INVALID_ARGUMENT', `${argument}: expected ${expected}, got ${describeValue(value)}`);
    this.argument = argument;
    this.value = value;
  }
}

/**
 * A container start asked of a pod that is being deleted (or was deleted): the kubelet starts no
 * container in a terminating pod (spec §4.1). Code `ERR_INVALID_STATE`, as every call made in the
 * wrong state; this class tells it apart from starting a container that is already running.
 */
export class PodTerminatingError extends LifecycleError {
  override readonly name = 'PodTerminatingError';
  readonly podName: string;
  readonly containerName: string;

  constructor(podName: string, containerName: string) {
    super(
      'ERR_INVALID_STATE',
      `cannot start container "${containerName}": pod "${podName}" is being deleted (or was deleted), and the ` +
        'kubelet starts no containers in a terminating pod. A re-created pod is a new pod: give it a new metadata.uid',
    );
    this.podName = podName;
    this.containerName = containerName;
  }
}

/** Renders a value for an error message without throwing (cycles, symbols, huge strings). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return 'an object';
}

/**
 * The text of anything thrown or rejected with: an `Error`'s message, a string as is, another
 * object's string `message`, else `String(value)`. Never throws, whatever it is given (hostile
 * getters, `Object.create(null)`, revoked proxies). Shared by the manager, the hook runner, the
 * idempotency helpers and the testing kit.
 */
export function errorText(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    if (value !== null && typeof value === 'object') {
      const message = (value as { message?: unknown }).message;
      if (typeof message === 'string' && message !== '') return message;
    }
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return 'unknown error';
    }
  }
}
