/**
 * `kube-lifecycle run` after issue 18: exit codes, start failures, SIGTERM/SIGHUP, the third
 * Ctrl-C, the countdown after the second, and a fresh pod UID per run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import type { CliIo } from '../../src/cli/io.js';
import { testIo } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kl-cli-runhard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pod(name: string, spec: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n${spec}`);
  return file;
}

async function until(predicate: () => boolean, timeoutMs = 15_000, output?: () => unknown): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(
        `timed out waiting for ${predicate}${output === undefined ? '' : `; output: ${JSON.stringify(output())}`}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const run = (file: string, ...flags: string[]) => {
  const t = testIo();
  return { t, done: main(['run', file, '--runtime', 'process', ...flags], t.io) };
};

describe('kube-lifecycle run: exit codes (0 clean, 1 pod failed, 2 bad input)', () => {
  it('restartPolicy Never: a container that cannot start fails the pod, which is deleted; run exits 1 instead of hanging', async () => {
    const { t, done } = run(
      pod(
        'nostart',
        '  restartPolicy: Never\n  terminationGracePeriodSeconds: 2\n  containers:\n  - { name: ok, command: ["sleep", "30"] }\n  - { name: bad, command: ["/nonexistent/kl-binary"] }\n',
      ),
    );
    expect(await done).toBe(1);
    const out = t.output().stdout;
    expect(out).toMatch(/container bad did not become Running: RunContainerError/);
    expect(out).toMatch(/the pod failed to start: deleting it/);
    expect(out).toMatch(/pod nostart terminated/);
    expect(out).toMatch(/pod failed: container bad did not become Running/);
  });

  it('restartPolicy Never, every container exits by itself: 0 when the pod Succeeded, 1 when it Failed (spec pod §5.1)', async () => {
    const clean = run(pod('clean', '  restartPolicy: Never\n  containers:\n  - { name: a, command: ["true"] }\n'));
    expect(await clean.done).toBe(0);
    const failing = run(
      pod(
        'failing',
        '  restartPolicy: Never\n  containers:\n  - { name: a, command: ["true"] }\n  - { name: b, command: ["sh", "-c", "exit 3"] }\n',
      ),
    );
    expect(await failing.done).toBe(1);
    expect(clean.t.output().stdout).toMatch(/pod clean Succeeded: every container exited 0/);
    expect(failing.t.output().stdout).toMatch(/container b exited with code 3 \(Error\)/);
    expect(failing.t.output().stdout).toMatch(/pod failing Failed/);
  });

  it('restartPolicy Never: an init container that exits non-zero fails the pod (exit 1), the next never starts (spec pod §3)', async () => {
    const { t, done } = run(
      pod(
        'initfail',
        '  restartPolicy: Never\n  initContainers:\n  - { name: init, command: ["sh", "-c", "exit 2"] }\n  containers:\n  - { name: a, command: ["sleep", "30"] }\n',
      ),
    );
    expect(await done).toBe(1);
    expect(t.output().stdout).toMatch(/container init exited with code 2/);
    expect(t.output().stdout).not.toMatch(/container a is Running/);
  });
});

describe('kube-lifecycle run: a fresh pod UID per run', () => {
  it('two runs of one manifest get different UIDs (runc names containers by it); a manifest uid is kept', async () => {
    const file = pod('uid', '  restartPolicy: Never\n  containers:\n  - { name: a, command: ["true"] }\n');
    const uids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { t, done } = run(file);
      expect(await done).toBe(0);
      const uid = /running pod uid \(uid ([^)]+)\)/.exec(t.output().stdout)?.[1];
      expect(uid).toMatch(/^[0-9a-f-]{36}$/);
      uids.push(uid as string);
    }
    expect(uids[0]).not.toBe(uids[1]);
    const own = join(dir, 'own-uid.yaml');
    writeFileSync(
      own,
      'kind: Pod\nmetadata: { name: own, uid: my-uid-1 }\nspec:\n  restartPolicy: Never\n  containers:\n  - { name: a, command: ["true"] }\n',
    );
    const { t, done } = run(own);
    expect(await done).toBe(0);
    expect(t.output().stdout).toMatch(/running pod own \(uid my-uid-1\)/);
  });
});

describe('kube-lifecycle run: signals', () => {
  const SLEEPER = '  terminationGracePeriodSeconds: 20\n  containers:\n  - name: app\n    command: ["sleep", "60"]\n';

  it('SIGTERM and SIGHUP delete the pod gracefully, like Ctrl-C', async () => {
    for (const signal of ['SIGTERM', 'SIGHUP']) {
      const { t, done } = run(pod(`sig-${signal.toLowerCase()}`, SLEEPER));
      await until(() => t.output().stdout.includes('container app is Running'));
      t.interrupt(signal);
      expect(await done).toBe(0);
      expect(t.output().stdout).toMatch(
        new RegExp(`${signal}: deleting pod sig-${signal.toLowerCase()} with grace 20s`),
      );
      expect(t.output().stdout).toMatch(/container app exited with code 143/);
    }
  });

  it('a third Ctrl-C kills everything and exits at once (exit 1), not after the preStop', async () => {
    const file = pod('third', `${SLEEPER}    lifecycle:\n      preStop: { exec: { command: ["sleep", "50"] } }\n`);
    const { t, done } = run(file);
    await until(() => t.output().stdout.includes('container app is Running'));
    t.interrupt();
    await until(() => t.output().stdout.includes('Killing'));
    t.interrupt();
    t.interrupt();
    const started = Date.now();
    expect(await done).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000); // the preStop would hold it 50 s
    expect(t.output().stdout).toMatch(/Ctrl-C a third time: killing everything now and exiting/);
  });

  // Ignores SIGTERM; its postStart holds Running until the trap is set (no race with Ctrl-C).
  const stubborn = (mark: string) =>
    `  terminationGracePeriodSeconds: 20\n  containers:\n  - name: app\n    command: ["sh", "-c", "trap '' TERM; touch ${mark}; sleep 60"]\n    lifecycle:\n      postStart: { exec: { command: ["sh", "-c", "while [ ! -f ${mark} ]; do sleep 0.05; done"] } }\n`;
  const countdowns = (text: string) => [...text.matchAll(/terminating: SIGKILL in (\d+)s \(grace (\d+)s\)/g)];

  for (const [policy, expectation] of [
    ['interrupt', 'the re-issued stop: SIGKILL within the 2 s minimum stop grace'],
    ['kubelet', 'the stop in progress keeps its 20 s timeout (spec §4.2-F.6)'],
  ] as const) {
    it(`the countdown stays right after a second Ctrl-C (policy ${policy}: ${expectation})`, async () => {
      const t = testIo();
      const io: CliIo = { ...t.io, isTTY: true, control: () => undefined };
      const file = pod(`countdown-${policy}`, stubborn(join(dir, `trap-set-${policy}`)));
      const done = main(
        ['run', file, '--runtime', 'process', '--policy', `shorterGraceDuringTermination=${policy}`],
        io,
      );
      await until(() => t.output().stdout.includes('container app is Running'), 15_000, t.output);
      t.interrupt();
      await until(() => countdowns(t.output().stdout).length > 0, 15_000, t.output);
      t.interrupt();
      await until(() => countdowns(t.output().stdout).some((m) => m[2] === '1'), 15_000, t.output);
      const left = Number(countdowns(t.output().stdout).at(-1)?.[1]);
      if (policy === 'interrupt') {
        expect(left).toBeLessThanOrEqual(2);
        expect(await done).toBe(0);
        expect(t.output().stdout).toMatch(/container app exited with code 137/);
      } else {
        expect(left).toBeGreaterThan(10);
        t.interrupt();
        expect(await done).toBe(1);
      }
    });
  }

  it('as a real process: SIGTERM deletes the pod and the command exits 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'run', pod('realterm', SLEEPER), '--runtime', 'process'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => stdout.includes('container app is Running'), 30_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/SIGTERM: deleting pod realterm/);
    expect(stdout).toMatch(/pod realterm terminated/);
  });
});
