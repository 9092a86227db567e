/**
 * The `Created` event of a pod worker's start (split from pod-driver.ts).
 *
 * @internal
 * @module
 */

import type { EventSink, ManagerContext } from '../container/context.js';
import { EventMessages, type KubeEvent } from '../hooks/events.js';

/**
 * The context of one worker start: the container's `Started` event is preceded by `Created`
 * (spec pod §4.6: the kubelet emits `Created` after CreateContainer and `Started` after
 * StartContainer; the Runtime port's `startContainer` does both, so both follow it, at the same
 * instant). Text per `kubeletVersion`: `Container created` (1.35), `Created container: <name>`.
 */
export function withCreatedEvent(ctx: ManagerContext, containerName: string): ManagerContext {
  const hub: EventSink = {
    hasListeners: (name) => ctx.hub.hasListeners(name),
    emit: (name, ...args) => {
      const event = args[0] as KubeEvent | undefined;
      if (name === 'event' && event?.reason === 'Started' && event.object.name === containerName) {
        const message = EventMessages.created(containerName, ctx.kubeletVersion);
        ctx.hub.emit('event', { ...event, reason: 'Created', message });
      }
      ctx.hub.emit(name, ...args);
    },
  };
  return { ...ctx, hub };
}
