/**
 * Black-box round 2: the `kube-lifecycle` command run as a user runs it from the repository
 * (`npx tsx src/cli/main.ts …`, docs/cli.md), checked against docs/cli.md and the README:
 * the top level (`--help`, `--version`, usage errors) and `run`, briefly. `validate` and
 * `simulate` have files of their own (cli-validate, cli-simulate, cli-simulate-faults).
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectHelpPointer, expectUsageStyleError, MAIN, manifestFolder, ROOT, TSX } from './cli-harness.js';

const { file } = manifestFolder();

// ---------------------------------------------------------------- top level

describe('kube-lifecycle --help / --version (docs/cli.md)', () => {
  it('--help and -h print usage with the three commands, exit 0', async () => {
    const [a, b] = await Promise.all([cli(['--help']), cli(['-h'])]);
    for (const r of [a, b]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/validate/);
      expect(r.stdout).toMatch(/simulate/);
      expect(r.stdout).toMatch(/\brun\b/);
      expect(r.stderr).toBe('');
    }
    expect(a.stdout).toBe(b.stdout);
  });

  it('every command takes -h / --help (exit 0)', async () => {
    const rs = await Promise.all([cli(['validate', '--help']), cli(['simulate', '-h']), cli(['run', '--help'])]);
    for (const r of rs) {
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(50);
      expect(r.stderr).toBe('');
    }
    expect(rs[1]!.stdout).toMatch(/--delete-at/);
    expect(rs[1]!.stdout).toMatch(/--hook/);
  });

  it('--version prints the package version, exit 0', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(pkg.version);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('unknown command, no command: exit 2, one line + pointer to --help', async () => {
    const [a, b] = await Promise.all([cli(['frobnicate']), cli([])]);
    expectUsageStyleError(a, 2, /frobnicate/);
    expectHelpPointer(a);
    expect([0, 2]).toContain(b.code); // no command: usage (documented only as "usage error" → 2)
    if (b.code === 2) expect(b.stderr).toMatch(/^kube-lifecycle: /);
  });
});

// ---------------------------------------------------------------- run (briefly, real processes)

describe('kube-lifecycle run (docs/cli.md "run"), briefly', () => {
  it('SIGINT deletes the pod gracefully: preStop sleep, SIGTERM, exit 0; events printed as they happen', async () => {
    const p = file(
      'run.yaml',
      `apiVersion: v1
kind: Pod
metadata:
  name: runner
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: app
    command: ["sleep", "3600"]
    lifecycle:
      preStop:
        sleep:
          seconds: 1
`,
    );
    const child = spawn(TSX, [MAIN, 'run', '--runtime', 'process', p], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    try {
      const t0 = Date.now();
      while (!/Started/.test(stdout)) {
        if (Date.now() - t0 > 10_000) throw new Error(`run did not start: ${stdout} ${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      // tsx forwards SIGINT to the CLI process
      child.kill('SIGINT');
      const code = await Promise.race([closed, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Normal\s+Started\s+app/);
      expect(stdout).toMatch(/Normal\s+Killing\s+app: Stopping container app/);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
