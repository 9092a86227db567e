import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('kube-lifecycle (top level)', () => {
  it('prints help with --help and -h on stdout, exit 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const run = await cli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage:\n  kube-lifecycle <command> [flags]');
      expect(run.stderr).toBe('');
    }
  });

  it('without a command prints help on stderr and exits 2', async () => {
    const run = await cli([]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('Commands:');
  });

  it('prints the version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: 'kube-lifecycle 0.0.0-test\n', stderr: '' });
  });

  it('every command has --help and -h', async () => {
    for (const command of ['validate', 'simulate', 'run']) {
      for (const flag of ['--help', '-h']) {
        const run = await cli([command, flag]);
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(`kube-lifecycle ${command}`);
      }
      expect((await cli(['help', command])).stdout).toContain(`kube-lifecycle ${command}`);
    }
  });

  it('an unknown command is one line with a suggestion, exit 2', async () => {
    const run = await cli(['simulat', 'x.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatchInlineSnapshot(`
      "kube-lifecycle: unknown command "simulat" (did you mean simulate?)
      Run 'kube-lifecycle --help' for usage.
      "
    `);
  });

  it('an unknown flag names the closest one, exit 2', async () => {
    const run = await cli(['simulate', 'docs/examples/lifecycle-demo.yaml', '--delete-after', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatchInlineSnapshot(`
      "kube-lifecycle: unknown flag --delete-after (did you mean --delete-at?)
      Run 'kube-lifecycle simulate --help' for usage.
      "
    `);
  });

  it('a missing value, a missing file and bad YAML are one-line reasons, never stack traces', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [
        ['simulate', 'docs/examples/lifecycle-demo.yaml', '--grace'],
        {},
        /^kube-lifecycle: flag --grace needs a value\n/,
      ],
      [['validate', 'no/such/file.yaml'], {}, /^kube-lifecycle: cannot read no\/such\/file.yaml: no such file\n$/],
      [['validate', 'docs'], {}, /^kube-lifecycle: cannot read docs: is a directory\n$/],
      [
        ['validate', 'bad.yaml'],
        { 'bad.yaml': 'kind: Pod\n  metadata: [\n' },
        /^kube-lifecycle: bad.yaml: invalid YAML at line \d+, column \d+: .+\n$/,
      ],
      [['simulate', 'bad.yaml'], { 'bad.yaml': 'a: b\n---\n{ unclosed' }, /^kube-lifecycle: bad.yaml: invalid YAML/],
      [['validate'], {}, /^kube-lifecycle: missing <file>/],
      [['validate', 'a.yaml', 'b.yaml'], {}, /^kube-lifecycle: unexpected argument "b.yaml"/],
      [['simulate', 'empty.yaml'], { 'empty.yaml': '' }, /^kube-lifecycle: empty.yaml: no documents found/],
    ];
    for (const [argv, files, expected] of cases) {
      const run = await cli(argv, { files });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(expected);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe('');
    }
  });

  it('runs as a real process: npx tsx src/cli/main.ts --help', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', '--help'], { timeout: 60_000 });
    expect(stdout).toContain('kube-lifecycle <command> [flags]');
  });
});
