import { describe, expect, it } from 'vitest';
import { EventMessages, type KubeEvent } from '../../src/index.js';
import { drive, execAfter, harness, makePod } from './helpers.js';

const ALLOWED_KEYS = new Set(['type', 'reason', 'message', 'detail', 'object', 'timestamp']);

function checkShape(e: KubeEvent) {
  for (const k of Object.keys(e)) expect(ALLOWED_KEYS.has(k), `unexpected key ${k}`).toBe(true);
  expect(['Normal', 'Warning']).toContain(e.type);
  expect(typeof e.reason).toBe('string');
  expect(typeof e.message).toBe('string');
  expect(typeof e.timestamp).toBe('number');
  expect(['Pod', 'Container']).toContain(e.object.kind);
  expect(typeof e.object.name).toBe('string');
  expect(typeof e.object.namespace).toBe('string');
}

describe('DESIGN §7 event shape (spec §7)', () => {
  it('every event is { type, reason, message, detail?, object: { kind, name, namespace, fieldPath? }, timestamp = clock.now() }', async () => {
    const h = harness();
    await h.clock.advance(1_234);
    h.runtime.onExec('/drain', execAfter(2_000, { exitCode: 2 }));
    const pod = makePod({
      name: 'shop',
      namespace: 'prod',
      initContainers: [{ name: 'side', restartPolicy: 'Always' }],
      containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } }],
    });
    await drive(h.clock, h.manager.startContainer(pod, 'side'));
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await h.clock.advance(1_000);
    await drive(h.clock, h.manager.deletePod(pod));
    for (const e of h.events) checkShape(e);
    expect(h.events.map((e) => [e.reason, e.timestamp])).toEqual([
      ['Started', 1_234],
      ['Started', 1_234],
      ['Killing', 2_234],
      ['Killing', 2_234],
      ['FailedPreStopHook', 4_234],
    ]);
    const web = h.events.filter((e) => e.object.fieldPath === 'spec.containers{web}');
    expect(web.map((e) => e.reason)).toEqual(['Started', 'Killing', 'FailedPreStopHook']);
    for (const e of web) expect(e.object).toMatchObject({ kind: 'Container', namespace: 'prod' });
    const side = h.events.filter((e) => e.object.fieldPath === 'spec.initContainers{side}');
    expect(side.map((e) => e.reason)).toEqual(['Started', 'Killing']);
  });

  it('FailedPreStopHook carries the handler text in detail only; message stays "PreStopHook failed" (spec §3.5.1, §7, k/k#119541)', async () => {
    const h = harness();
    h.runtime.onExec('/drain', () => Promise.resolve({ exitCode: 1, stdout: 'secret-token' }));
    const pod = makePod({ containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } }] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    const e = h.events.find((x) => x.reason === 'FailedPreStopHook')!;
    expect(e.message).toBe('PreStopHook failed');
    expect(e.message).not.toContain('secret-token');
    expect(e.detail).toContain('secret-token');
  });

  it('EventMessages reproduces the kubelet texts (spec §7)', () => {
    // 1.35 (the default kubeletVersion) dropped the name from Created/Started (k/k#134043, spec pod §4.6).
    expect(EventMessages.started('web')).toBe('Container started');
    expect(EventMessages.stopping('web')).toBe('Stopping container web');
    expect(EventMessages.created('web')).toBe('Container created');
    expect(EventMessages.failedPostStartHook).toBe('PostStartHook failed');
    expect(EventMessages.failedPreStopHook).toBe('PreStopHook failed');
    expect(EventMessages.httpFallback('10.0.0.1:443')).toBe(
      'request to HTTPS lifecycle hook 10.0.0.1:443 got HTTP response, retry with HTTP succeeded',
    );
    expect(EventMessages.exceededGracePeriod).toBe(
      'Container runtime did not kill the pod within specified grace period.',
    );
  });

  it('events are delivered synchronously in causal order (Killing before the preStop exec is issued)', async () => {
    const h = harness();
    const order: string[] = [];
    h.manager.on('event', (e) => order.push(`event:${e.reason}`));
    h.runtime.onExec('/drain', () => {
      order.push('exec');
      return Promise.resolve({ exitCode: 0 });
    });
    h.runtime.onStop('web', () => {
      order.push('stop');
      return Promise.resolve();
    });
    const pod = makePod({ containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['/drain'] } } } }] });
    await drive(h.clock, h.manager.startContainer(pod, 'web'));
    await drive(h.clock, h.manager.stopContainer(pod, 'web'));
    expect(order).toEqual(['event:Started', 'event:Killing', 'exec', 'stop']);
  });
});
