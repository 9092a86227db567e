/**
 * Benchmark 4 — validation throughput. `validatePod` (defaulting + validation) on a pod of 50
 * containers, each with a full lifecycle (exec / httpGet with headers / sleep hooks, a stopSignal,
 * probes' grace), against `JSON.parse(JSON.stringify(pod))` of the same pod as a yardstick.
 * Rounds alternate the two; the ratio is of the medians. Target (issue 19): ≤ 1.5×.
 */
import type { Container, Pod } from '../../src/api/types.js';
import { type BenchOptions, type BenchResult, median, now, round, target } from './lib.js';
import { validatePod } from './subject.js';

/** A container whose lifecycle uses every handler kind the validator checks. */
function fullContainer(i: number): Container {
  const kind = i % 3;
  return {
    name: `app-${i}`,
    image: 'registry.example.com/team/app:1.2.3',
    command: ['/app/server'],
    args: ['--port', String(8000 + i), '--log-level=info'],
    ports: [{ name: 'http', containerPort: 8000 + i, protocol: 'TCP' }],
    env: [
      { name: 'POD_NAME', value: 'bench' },
      { name: 'MODE', value: 'production' },
    ],
    lifecycle: {
      postStart:
        kind === 0
          ? { exec: { command: ['/bin/sh', '-c', 'until curl -sf localhost:8080/ready; do sleep 1; done'] } }
          : kind === 1
            ? {
                httpGet: {
                  path: '/warmup',
                  port: 8000 + i,
                  scheme: 'HTTP',
                  httpHeaders: [{ name: 'X-Warmup', value: '1' }],
                },
              }
            : { sleep: { seconds: 2 } },
      preStop:
        kind === 0
          ? {
              httpGet: {
                path: '/drain',
                port: 'http',
                httpHeaders: [
                  { name: 'Authorization', value: 'Bearer t' },
                  { name: 'X-Reason', value: 'shutdown' },
                ],
              },
            }
          : kind === 1
            ? { exec: { command: ['/app/drain', '--timeout', '20s'] } }
            : { sleep: { seconds: 5 } },
      stopSignal: 'SIGTERM',
    },
    livenessProbe: { httpGet: { path: '/healthz', port: 8000 + i }, terminationGracePeriodSeconds: 10 },
  } as Container;
}

export function benchPod(containers = 50): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bench', namespace: 'default', uid: 'uid-bench', labels: { app: 'bench', tier: 'web' } },
    spec: {
      terminationGracePeriodSeconds: 30,
      os: { name: 'linux' },
      containers: Array.from({ length: containers }, (_, i) => fullContainer(i)),
    },
  } as Pod;
}

export async function validation({ short }: BenchOptions): Promise<BenchResult> {
  const iterations = short ? 50 : 2_000;
  const rounds = short ? 2 : 7;
  const pod = benchPod(50);
  const errors = validatePod(pod);
  let sink = 0;
  const runValidate = (n: number): number => {
    const t = now();
    for (let i = 0; i < n; i++) sink += validatePod(pod).length;
    return now() - t;
  };
  const runJson = (n: number): number => {
    const t = now();
    for (let i = 0; i < n; i++) sink += (JSON.parse(JSON.stringify(pod)) as Pod).spec!.containers.length;
    return now() - t;
  };
  runValidate(Math.min(iterations, 500));
  runJson(Math.min(iterations, 500));
  const validateMs: number[] = [];
  const jsonMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    jsonMs.push(runJson(iterations));
    validateMs.push(runValidate(iterations));
  }
  const perValidate = (median(validateMs) / iterations) * 1000; // µs
  const perJson = (median(jsonMs) / iterations) * 1000;
  // Negative control: a broken copy must produce errors (the validator really ran).
  const broken = JSON.parse(JSON.stringify(pod)) as Pod;
  broken.spec!.containers[7]!.lifecycle!.preStop = { httpGet: { port: 0 } } as never;
  const brokenErrors = validatePod(broken);
  const correct = errors.length === 0 && brokenErrors.length === 1 && sink > 0;
  return {
    name: 'validation',
    title: 'Validation: validatePod on a 50-container pod with full lifecycles vs JSON.parse(JSON.stringify(pod))',
    params: { containers: 50, iterations, rounds, podJsonBytes: JSON.stringify(pod).length },
    metrics: {
      validateUs: { value: round(perValidate, 1), unit: 'µs/pod' },
      jsonRoundTripUs: { value: round(perJson, 1), unit: 'µs/pod' },
      validateOpsPerSec: { value: Math.round(1e6 / perValidate), unit: 'pods/s' },
      jsonOpsPerSec: { value: Math.round(1e6 / perJson), unit: 'pods/s' },
      ratio: { value: round(perValidate / perJson, 2), unit: '×' },
    },
    targets: [target('ratio', perValidate / perJson, '<=', 1.5, '×', short)],
    correct,
    check: correct
      ? 'the pod validates clean; a copy with preStop port 0 yields exactly one FieldError'
      : `errors on the valid pod: ${errors.map((e) => e.message).join('; ')}; on the broken one: ${brokenErrors.length}`,
  };
}
