import { LifecycleError } from '../errors.js';
import type { FieldError } from './field-error.js';

/**
 * The pod given to the manager (or `assertValidPod`) failed API-server validation.
 * `errors` holds every {@link FieldError}; `message` is the API server's aggregate
 * `Pod "<name>" is invalid: [...]`.
 */
export class LifecycleSpecError extends LifecycleError {
  override readonly name = 'LifecycleSpecError';
  readonly errors: readonly FieldError[];
  readonly podName: string;

  constructor(podName: string, errors: readonly FieldError[], message: string) {
    super('ERR_LIFECYCLE_SPEC', message);
    this.podName = podName;
    this.errors = errors;
  }
}
