import { createRequire } from 'node:module';
import type Dockerode from 'dockerode';
import { DockerRuntimeError } from './errors.js';

/** The dockerode constructor (the module's export). */
export type DockerodeConstructor = new (options?: Dockerode.DockerOptions) => Dockerode;

/** A `require` function, injectable so a test can simulate a missing module. */
export type RequireFunction = (id: string) => unknown;

const requireHere: RequireFunction = createRequire(import.meta.url);

/**
 * Load the optional peer dependency `dockerode` synchronously (so the `DockerRuntime` constructor
 * can fail at once). Throws a `DockerRuntimeError` with code `ERR_DOCKERODE_MISSING` naming the
 * install command when it is not installed, and rethrows any other load failure as the cause.
 */
export function loadDockerode(load: RequireFunction = requireHere): DockerodeConstructor {
  let loaded: unknown;
  try {
    loaded = load('dockerode');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const missing = code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
    throw new DockerRuntimeError(
      'ERR_DOCKERODE_MISSING',
      missing
        ? 'kube-lifecycle/docker talks to the daemon through the optional peer dependency dockerode, ' +
            'which is not installed: npm i dockerode'
        : 'kube-lifecycle/docker could not load its peer dependency dockerode; reinstall it (npm i dockerode)',
      { cause: error },
    );
  }
  const ctor = (loaded as { default?: unknown } | null)?.default ?? loaded;
  if (typeof ctor !== 'function') {
    throw new DockerRuntimeError(
      'ERR_DOCKERODE_MISSING',
      `the module dockerode did not export a constructor (got ${typeof ctor}); reinstall it: npm i dockerode@5`,
    );
  }
  return ctor as DockerodeConstructor;
}
