/**
 * Issue 14 item 9: `systemClock` timers are unref'd, so a process whose runtime holds no handle
 * used to exit (code 13, an unsettled top-level await) in the middle of a grace period or a
 * back-off wait. The manager now holds the event loop open (`Clock.keepAlive`) while it has work.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'kl-keepalive-'));
const root = join(import.meta.dirname, '..', '..');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run `source` (ESM TypeScript, top-level await) in a fresh Node process through tsx. */
function runScript(name: string, source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(dir, `${name}.mts`);
  writeFileSync(file, source);
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', file], { cwd: root, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

const preamble = `
import { LifecycleManager } from ${JSON.stringify(join(root, 'src/manager/lifecycle-manager.ts'))};
let next = 0;
// A runtime that holds no handle: nothing but the manager's timers keeps the process alive.
const runtime = {
  startContainer: async () => ({ id: 'c' + next++ }),
  exec: async () => ({ exitCode: 0 }),
  stopContainer: async () => {},
};
const httpClient = { request: async () => ({ status: 200 }) };
`;

describe('the manager keeps the process alive while it has work (issue 14 item 9)', () => {
  it('a preStop sleep during deletePod on systemClock completes: exit code 0, not 13', async () => {
    const result = await runScript(
      'grace',
      `${preamble}
const manager = new LifecycleManager({ runtime, httpClient });
const pod = { metadata: { name: 'p', uid: 'u' }, spec: { terminationGracePeriodSeconds: 5,
  containers: [{ name: 'c', lifecycle: { preStop: { sleep: { seconds: 1 } } } }] } };
await manager.startContainer(pod, 'c');
const result = await manager.deletePod(pod);
console.log('done', result.containers[0].preStop.outcome);
`,
    );
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('done succeeded');
  });

  it('a pod worker waiting out a back-off on systemClock restarts the container', async () => {
    const result = await runScript(
      'backoff',
      `${preamble}
const exits = { ...runtime, waitContainer: async () => ({ exitCode: 1 }) };
const manager = new LifecycleManager({ runtime: exits, httpClient, crashLoopBackOff: { initialSeconds: 0.3 } });
const pod = { metadata: { name: 'p', uid: 'u' }, spec: { containers: [{ name: 'c' }] } };
await manager.startPod(pod);
const status = await manager.waitForPod(pod, (s) => s.containerStatuses[0].restartCount >= 3);
console.log('restarts', status.containerStatuses[0].restartCount);
await manager.deletePod(pod);
`,
    );
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('restarts 3');
  });
});
