import { describe, expect, it } from 'vitest';
import type { ExecCall } from '../../src/testing/fake-runtime-scripts.js';
import { podHarness, podOf } from './pod-harness.js';

describe('a restarted sidecar and the regular containers (spec pod §3.4, computeInitContainerActions)', () => {
  it('a sidecar restarted before its startup probe passes again does not hold the app back once the last sidecar has started', async () => {
    const h = podHarness();
    let s2Instances = 0;
    h.manager.on('step', (step) => {
      if (step.kind === 'starting' && step.container === 's2') s2Instances++;
    });
    // s2's first instance passes its startup probe at once; the restarted one only from 30 s.
    h.runtime.onExec(['s2-started'], (call: ExecCall) => ({
      exitCode: s2Instances === 1 || call.at >= 30_000 ? 0 : 1,
      stdout: '',
      stderr: '',
    }));
    // s3's startup probe passes from 6 s.
    h.runtime.onExec(['s3-started'], (call: ExecCall) => ({
      exitCode: call.at >= 6_000 ? 0 : 1,
      stdout: '',
      stderr: '',
    }));
    const startup = (command: string) => ({ exec: { command: [command] }, periodSeconds: 1, failureThreshold: 100 });
    const pod = podOf([{ name: 'app', image: 'nginx' }], {
      initContainers: [
        { name: 's1', image: 'proxy', restartPolicy: 'Always' },
        { name: 's2', image: 'proxy', restartPolicy: 'Always', startupProbe: startup('s2-started') },
        { name: 's3', image: 'proxy', restartPolicy: 'Always', startupProbe: startup('s3-started') },
      ],
    });
    void h.manager.startPod(pod);
    await h.clock.advance(3_000);
    h.runtime.crash('s2', { exitCode: 1 }); // s3 has run: the pod's init sequence has gone past s2
    await h.clock.advance(7_000);
    const starts = h.runtime.timeline.filter((e) => e.kind === 'start').map((e) => [e.container, e.at]);
    // s2 restarts at once (first crash, no back-off entry); the kubelet starts the regular
    // containers as soon as the last init container (s3) has started, at 6 s, not when the
    // restarted s2's startup probe passes (30 s).
    expect(starts).toEqual([
      ['s1', 0],
      ['s2', 0],
      ['s3', 1_000],
      ['s2', 3_000],
      ['app', 6_000],
    ]);
    await h.manager.deletePod(pod, { gracePeriodSeconds: 0 });
  });
});
