import type { Container, Pod } from './types.js';

/**
 * Whether an init container is a sidecar: a restartable init container (`restartPolicy: Always`,
 * spec §4.2-C.6). The one place the library decides it.
 */
export function isSidecar(container: { readonly restartPolicy?: unknown }): boolean {
  return container.restartPolicy === 'Always';
}

/** One container of {@link containersInOrder}, with its kind. */
export interface OrderedContainer {
  readonly container: Container;
  readonly kind: 'init' | 'sidecar' | 'container';
}

/**
 * Every container of the pod in the kubelet's start order: init containers (sidecars included),
 * then regular containers.
 *
 * @example
 * ```ts
 * containersInOrder(pod).map((c) => `${c.kind}:${c.container.name}`); // ['sidecar:proxy', 'container:web']
 * ```
 */
export function containersInOrder(pod: Pod): OrderedContainer[] {
  return [
    ...(pod.spec?.initContainers ?? []).map((c) => ({
      container: c,
      kind: isSidecar(c) ? ('sidecar' as const) : ('init' as const),
    })),
    ...(pod.spec?.containers ?? []).map((c) => ({ container: c, kind: 'container' as const })),
  ];
}
