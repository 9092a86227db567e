import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { checkPodScripts, parseExits, parseHorizon, parseProbes, toProbeScript } from '../../src/cli/pod-scripts.js';
import { describeMessage, renderEvents } from '../../src/cli/render-events.js';
import type { KubeEvent } from '../../src/index.js';
import { cli } from './helpers.js';

describe('--exit scripts', () => {
  it('parses CONTAINER=CODE@TIME and comma lists', () => {
    expect(parseExits('main=1@5s')).toEqual([{ container: 'main', exitCode: 1, at: 5000, text: 'main=1@5s' }]);
    expect(parseExits('main=1@5s, main=0@1500ms').map((e) => [e.exitCode, e.at])).toEqual([
      [1, 5000],
      [0, 1500],
    ]);
  });
  it.each([
    ['main@5s', /expected CONTAINER=CODE@TIME, e\.g\. main=1@5s/],
    ['main=1', /expected CONTAINER=CODE@TIME/],
    ['main=256@5s', /exit code must be an integer from 0 to 255, got "256"/],
    ['main=x@5s', /exit code must be an integer from 0 to 255, got "x"/],
    ['main=1@soon', /time must be a duration such as 5s or 1500ms, got "soon"/],
    ['main=1@5s,', /an empty item/],
    ['main=1@5s,side=x@1s', /^"side=x@1s": the exit code/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseExits(text)).toThrow(message);
  });
});

describe('--probe scripts', () => {
  it('parses CONTAINER.PROBE=BEHAVIOUR', () => {
    expect(parseProbes('web.liveness=fail@30s')).toEqual([
      { container: 'web', probe: 'liveness', script: { kind: 'fail', fromMs: 30_000 }, text: 'web.liveness=fail@30s' },
    ]);
    expect(parseProbes('web.readiness=flap:2,web.startup=pass@10s').map((p) => p.script)).toEqual([
      { kind: 'flap', periods: 2 },
      { kind: 'pass', fromMs: 10_000 },
    ]);
  });
  it.each([
    ['web=fail', /expected CONTAINER\.PROBE=BEHAVIOUR, e\.g\. web\.liveness=fail@30s/],
    ['web.livenes=fail', /unknown probe "livenes" \(did you mean liveness\?\)/],
    ['web.liveness=boom', /unknown behaviour "boom"; use pass, fail, hang/],
    ['web.liveness=fail@later', /time must be a duration such as 30s, got "later"/],
    ['web.liveness=flap:0', /flap needs a whole number of periods ≥ 1/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseProbes(text)).toThrow(message);
  });
  it('maps behaviours onto the testing kit probe scripts (fail@30s = failFrom(30 s))', () => {
    const fail = toProbeScript({ kind: 'fail', fromMs: 30_000 }, 10);
    expect([fail(29_999), fail(30_000)]).toEqual(['pass', 'fail']);
    const pass = toProbeScript({ kind: 'pass', fromMs: 10_000 }, 10);
    expect([pass(0), pass(10_000)]).toEqual(['fail', 'pass']);
    const hang = toProbeScript({ kind: 'hang', fromMs: 5_000 }, 10);
    expect([hang(0), hang(5_000)]).toEqual(['pass', 'hang']);
    const flap = toProbeScript({ kind: 'flap', periods: 2 }, 5);
    expect([flap(0), flap(9_999), flap(10_000), flap(20_000)]).toEqual(['pass', 'pass', 'fail', 'pass']);
  });
});

describe('--for horizon', () => {
  it('accepts durations above 0 up to a day', () => {
    expect(parseHorizon('60s')).toBe(60_000);
    expect(parseHorizon('5m')).toBe(300_000);
    expect(parseHorizon(90)).toBe(90_000);
  });
  it.each([
    ['0s', /longer than 0s/],
    ['soon', /expected a duration such as 60s or 5m, got "soon"/],
    ['1441m', /at most 86400s \(24h\)/],
  ])('rejects %j', (text, message) => {
    expect(() => parseHorizon(text)).toThrow(message);
  });
});

describe('scripts checked against the pod', () => {
  const pod: Pod = {
    metadata: { name: 'p' },
    spec: {
      containers: [
        { name: 'web', image: 'nginx', livenessProbe: { httpGet: { path: '/', port: 80 } } },
        { name: 'main', image: 'busybox' },
      ],
    },
  };
  it('names unknown containers (with a hint) and missing probes', () => {
    expect(
      checkPodScripts(pod, parseExits('mian=1@5s'), [
        ...parseProbes('web.readiness=fail'),
        ...parseProbes('web.liveness=fail@30s'),
      ]),
    ).toEqual([
      'mian=1@5s: no container "mian" in the pod (did you mean main?); containers: web, main',
      'web.readiness=fail: container web has no readinessProbe to script',
    ]);
  });
});

describe('the Events table (spec pod §7)', () => {
  const object = {
    kind: 'Container' as const,
    name: 'app',
    namespace: 'default',
    podName: 'p',
    fieldPath: 'spec.containers{app}',
  };
  const event = (
    reason: string,
    message: string,
    timestamp: number,
    type: 'Normal' | 'Warning' = 'Normal',
  ): KubeEvent => ({
    type,
    reason,
    message,
    object,
    timestamp,
  });

  it('prefixes the fieldPath like kubectl 1.35 (spec pod §7.3, k/k#133627)', () => {
    expect(describeMessage(event('Started', ' Container started ', 0))).toBe('spec.containers{app}: Container started');
    expect(
      describeMessage({ ...event('Killing', 'x', 0), object: { kind: 'Pod', name: 'p', namespace: 'default' } }),
    ).toBe('x');
  });

  it('folds identical events into one row with the kubectl Age at the end instant (spec pod §7.2, §7.3)', () => {
    const events = [
      event('FailedPostStartHook', 'PostStartHook failed', 0, 'Warning'),
      event('Killing', 'FailedPostStartHook', 0),
      event('FailedPostStartHook', 'PostStartHook failed', 37_000, 'Warning'),
      event('Killing', 'FailedPostStartHook', 37_400),
      event('BackOff', 'Back-off restarting failed container app in pod p_default(u)', 40_000, 'Warning'),
    ];
    expect(renderEvents(events, 75_000)).toBe(
      [
        'Events (as kubectl describe would show them at the end of the simulation, t=75s):',
        '  Type     Reason               Age                From     Message',
        '  ----     ------               ---                ----     -------',
        '  Warning  FailedPostStartHook  38s (x2 over 75s)  kubelet  spec.containers{app}: PostStartHook failed',
        '  Normal   Killing              38s (x2 over 75s)  kubelet  spec.containers{app}: FailedPostStartHook',
        '  Warning  BackOff              35s                kubelet  spec.containers{app}: Back-off restarting failed container app in pod p_default(u)',
        '',
      ].join('\n'),
    );
  });

  it('prints <none> without events', () => {
    expect(renderEvents([], 0)).toBe('Events:  <none>\n');
  });
});

describe('kube-lifecycle simulate: the new flags', () => {
  const POD = `
apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  containers:
  - name: web
    image: nginx
    livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
`;
  it.each([
    [['--exit', 'web=1'], /--exit "web=1": expected CONTAINER=CODE@TIME/],
    [['--probe', 'web.liveness=sometimes'], /--probe "web.liveness=sometimes": unknown behaviour/],
    [['--for', '-5s'], /--for "-5s": expected a duration/],
    [['--exit', 'db=1@5s'], /db=1@5s: no container "db" in the pod/],
    [['--probe', 'web.startup=fail'], /web\.startup=fail: container web has no startupProbe to script/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const run = await cli(['simulate', 'pod.yaml', ...argv], { files: { 'pod.yaml': POD } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
  it('reads exits, probes and for from a scenario file, with the file named in errors', async () => {
    const run = await cli(['simulate', 'pod.yaml', '--scenario', 's.yaml'], {
      files: { 'pod.yaml': POD, 's.yaml': 'for: 0s\n' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/s\.yaml: for: the horizon must be longer than 0s/);
  });
});
