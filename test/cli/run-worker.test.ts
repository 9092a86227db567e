/**
 * `kube-lifecycle run` on the pod worker (issue 14 item 8, issue 16 item 5): real restarts with
 * CrashLoopBackOff on the real clock, the state directory, and `describe`/`exec` from a second
 * "terminal" (another in-process command, or a real second process) while `run` holds the pod.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { podStatePaths, RUN_STATE_KIND, type RunState } from '../../src/cli/state-dir.js';
import { testIo } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kl-cli-runworker-'));
const stateRoot = join(dir, 'state');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
process.env['KUBE_LIFECYCLE_STATE_DIR'] = stateRoot;

function pod(name: string, spec: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n${spec}`);
  return file;
}

async function until(predicate: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; output so far:\n${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const readState = (name: string): RunState =>
  JSON.parse(readFileSync(podStatePaths(stateRoot, 'default', name).file, 'utf8')) as RunState;

describe('kube-lifecycle run on the pod worker: restarts (spec pod §4)', () => {
  it('a container that exits 1 is restarted with CrashLoopBackOff on the real clock, and the output shows it', async () => {
    const t = testIo();
    const file = pod(
      'crashy',
      '  terminationGracePeriodSeconds: 2\n  containers:\n  - { name: app, command: ["sh", "-c", "sleep 0.2; exit 1"] }\n',
    );
    const started = Date.now();
    const done = main(['run', file, '--runtime', 'process', '--back-off', '1:2'], t.io);
    const out = () => t.output().stdout;
    // First restart at once, then back-off 1 s, then 2 s (doubling, capped at MAX 2 s; spec pod §4.1).
    await until(() => /container app is Running \(restartCount 3\)/.test(out()), out);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(3000 + 3 * 200 - 100);
    t.interrupt();
    expect(await done).toBe(1);
    const text = out();
    expect(text).toMatch(/container app exited with code 1 \(Error\)/);
    expect(text).toMatch(/Warning\s+BackOff\s+app: Back-off restarting failed container app in pod crashy_default/);
    expect(text).toMatch(/container app is Waiting: CrashLoopBackOff \(back-off 1s restarting failed container=app/);
    expect(text).toMatch(/container app is Waiting: CrashLoopBackOff \(back-off 2s restarting failed container=app/);
    expect(text).toMatch(/pod failed: container app exited with code 1 \(x\d+\)/);
    // Restarts are real: each instance started anew (Started per instance).
    expect([...text.matchAll(/Normal\s+Started\s+app: /g)].length).toBeGreaterThanOrEqual(4);
  });

  it('restartPolicy OnFailure: the container is restarted until it exits 0, then the pod Succeeded (exit 0)', async () => {
    const mark = join(dir, 'onfailure-mark');
    const t = testIo();
    const file = pod(
      'onfailure',
      `  restartPolicy: OnFailure\n  containers:\n  - { name: app, command: ["sh", "-c", "if [ -f ${mark} ]; then exit 0; fi; touch ${mark}; exit 7"] }\n`,
    );
    expect(await main(['run', file, '--runtime', 'process', '--back-off', '1'], t.io)).toBe(0);
    expect(t.output().stdout).toMatch(/container app exited with code 7 \(Error\)/);
    expect(t.output().stdout).toMatch(/container app exited with code 0 \(Completed\)/);
    expect(t.output().stdout).toMatch(/pod onfailure Succeeded/);
  });

  it('refuses a bad --back-off before starting anything (exit 2)', async () => {
    const t = testIo();
    const file = pod('badbackoff', '  containers:\n  - { name: app, command: ["true"] }\n');
    expect(await main(['run', file, '--runtime', 'process', '--back-off', '5:1'], t.io)).toBe(2);
    expect(t.output().stderr).toMatch(/--back-off "5:1": MAX is below INITIAL/);
  });
});

describe('kube-lifecycle run: the state directory, describe and exec from a second terminal', () => {
  const SPEC = (mark: string) =>
    `  terminationGracePeriodSeconds: 3\n  containers:\n  - name: web\n    command: ["sh", "-c", "sleep 60"]\n    env: [{ name: GREETING, value: hello-from-web }]\n    lifecycle:\n      postStart: { exec: { command: ["sh", "-c", "echo started > ${mark}"] } }\n  - name: side\n    command: ["sleep", "60"]\n`;

  it('run writes status, events and handles atomically; describe and exec read them; the entry goes with the pod', async () => {
    const t = testIo();
    const mark = join(dir, 'two-mark');
    const done = main(['run', pod('two', SPEC(mark)), '--runtime', 'process'], t.io);
    await until(
      () => /pod is Running/.test(t.output().stdout),
      () => t.output().stdout,
    );
    const state = readState('two');
    expect(state.kind).toBe(RUN_STATE_KIND);
    expect(state.pid).toBe(process.pid);
    expect(state.status?.phase).toBe('Running');
    expect(Object.keys(state.runtime.containers)).toEqual(['web', 'side']);
    expect(state.events.map((e) => e.reason)).toContain('Started');
    expect(existsSync(`${podStatePaths(stateRoot, 'default', 'two').file}.${process.pid}.tmp`)).toBe(false);

    const d = testIo();
    expect(await main(['describe', 'two'], d.io)).toBe(0);
    const text = d.output().stdout;
    expect(text).toMatch(/^Name:\s+two$/m);
    expect(text).toMatch(/^Status:\s+Running$/m);
    expect(text).toMatch(/^IP:\s+127\.0\.0\.1$/m);
    expect(text).toMatch(/^ {2}web:\n {4}Container ID:\s+process:\/\/\S+\n {4}Image:\s+<none>\n {4}State:\s+Running$/m);
    expect(text).toMatch(/^ {4}Restart Count:\s+0$/m);
    expect(text).toMatch(/^ {2}Ready\s+True$/m);
    expect(text).toMatch(/^Events:\n {2}Type\s+Reason\s+Age\s+From\s+Message$/m);
    expect(text).toMatch(/Normal\s+Started\s+\d+s\s+kubelet\s+spec\.containers\{web\}: Container started/);

    const e = testIo();
    expect(await main(['exec', 'two', '--', 'sh', '-c', `echo $GREETING; cat ${mark}; exit 4`], e.io)).toBe(4);
    expect(e.output().stdout).toBe('hello-from-web\nstarted\n');
    expect(e.output().stderr).toMatch(/^Defaulted container "web" out of: web, side/);
    const side = testIo();
    expect(await main(['exec', 'two', '-c', 'side', '--', 'sh', '-c', 'echo $GREETING-none'], side.io)).toBe(0);
    expect(side.output().stdout).toBe('-none\n');
    const missing = testIo();
    expect(await main(['exec', 'two', '-c', 'nope', '--', 'true'], missing.io)).toBe(1);
    expect(missing.output().stderr).toMatch(/container "nope" not found in pod two \(containers: web, side\)/);

    // The same name cannot be run twice at once.
    const again = testIo();
    expect(await main(['run', join(dir, 'two.yaml'), '--runtime', 'process'], again.io)).toBe(2);
    expect(again.output().stderr).toMatch(/pod default\/two is already run by process \d+/);

    t.interrupt();
    expect(await done).toBe(0);
    expect(existsSync(podStatePaths(stateRoot, 'default', 'two').dir)).toBe(false);
    const gone = testIo();
    expect(await main(['describe', 'two'], gone.io)).toBe(1);
    expect(gone.output().stderr).toMatch(/pod "two" not found in namespace default/);
  });

  it('a stale entry (its run process is gone) is reported by describe and exec, and replaced by the next run', async () => {
    const paths = podStatePaths(stateRoot, 'default', 'stale');
    // A pid that is not alive: a child that has exited.
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.on('exit', resolve));
    const entry: RunState = {
      kind: RUN_STATE_KIND,
      pod: { name: 'stale', namespace: 'default', uid: 'u-1' },
      pid,
      runtime: { name: 'process', description: 'local processes (ProcessRuntime)', containers: {} },
      containers: [{ name: 'app', image: '', kind: 'container' }],
      manifest: 'stale.yaml',
      startedAt: Date.now() - 60_000,
      updatedAt: Date.now() - 30_000,
      terminating: false,
      status: undefined,
      events: [],
    };
    const { writeRunState } = await import('../../src/cli/state-dir.js');
    writeRunState(paths, entry);
    const d = testIo();
    expect(await main(['describe', 'stale'], d.io)).toBe(1);
    expect(d.output().stdout).toMatch(new RegExp(`^Warning: stale entry: the run process \\(pid ${pid}\\) is gone`));
    const e = testIo();
    expect(await main(['exec', 'stale', '--', 'true'], e.io)).toBe(1);
    expect(e.output().stderr).toMatch(/stale entry, its run process \(pid \d+\) is gone/);
    const r = testIo();
    const file = pod('stale', '  restartPolicy: Never\n  containers:\n  - { name: app, command: ["true"] }\n');
    expect(await main(['run', file, '--runtime', 'process'], r.io)).toBe(0);
    expect(r.output().stderr).toMatch(/replacing a stale entry of pod default\/stale \(its run process \d+ is gone/);
    expect(existsSync(paths.dir)).toBe(false);
  });

  it('exec and describe: usage errors exit 2', async () => {
    const a = testIo();
    expect(await main(['exec', 'x', 'cat', '/etc/hostname'], a.io)).toBe(2);
    expect(a.output().stderr).toMatch(/the command goes after --/);
    const b = testIo();
    expect(await main(['exec', '--', 'true'], b.io)).toBe(2);
    const c = testIo();
    expect(await main(['describe', 'a', 'b'], c.io)).toBe(2);
  });

  it('from a real second process: run holds the pod in one process, exec and describe reach it from another', async () => {
    const mark = join(dir, 'proc-mark');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'run', pod('proc', SPEC(mark)), '--runtime', 'process'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(
      () => stdout.includes('pod is Running'),
      () => stdout,
      30_000,
    );
    expect(readState('proc').pid).toBe(child.pid);
    const e = testIo();
    expect(await main(['exec', 'proc', '-c', 'web', '--', 'cat', mark], e.io)).toBe(0);
    expect(e.output().stdout).toBe('started\n');
    const d = testIo();
    expect(await main(['describe', 'proc'], d.io)).toBe(0);
    expect(d.output().stdout).toMatch(new RegExp(`^Run by:\\s+pid ${child.pid}, kube-lifecycle run `, 'm'));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(podStatePaths(stateRoot, 'default', 'proc').dir)).toBe(false);
  });
});
