/**
 * Bounded work on hostile input (issue 18): documented limits with clear errors (exit 2), linear
 * line numbering, YAML alias bombs, deep nesting, terminal escapes, and the small CLI fixes.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseHookScript } from '../../src/cli/hook-script.js';
import { escapeControls, readBounded } from '../../src/cli/io.js';
import { lineIndex, MANIFEST_LIMITS, parseManifest } from '../../src/cli/load-manifests.js';
import { cli } from './helpers.js';

const POD = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  containers:\n  - { name: a, image: busybox }\n`;

describe('manifest limits (docs/cli.md#limits): a clear error and exit 2', () => {
  it('a file past maxBytes is refused before it is parsed', async () => {
    const big = `${POD('big')}# ${'x'.repeat(MANIFEST_LIMITS.maxBytes)}\n`;
    const r = await cli(['validate', 'big.yaml'], { files: { 'big.yaml': big } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kube-lifecycle: big.yaml: larger than 8388608 bytes \(8 MiB\); split the file/);
  });

  it('stdin is read only up to the limit (bounded reader), not buffered without bound', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 65536;
        this.push(Buffer.alloc(65536, 0x20));
      },
    });
    await expect(readBounded(endless, 1_000_000)).rejects.toMatchObject({ code: 'ERR_KL_INPUT_TOO_LARGE' });
    expect(produced).toBeLessThan(2_000_000);
  });

  it('10 million nulls in JSON (as containers) are refused by the byte limit; 2 million by the container limit', async () => {
    const json = (n: number) =>
      `{"kind":"Pod","metadata":{"name":"n"},"spec":{"containers":[${'null,'.repeat(n - 1)}null]}}`;
    const r = await cli(['validate', '-'], { stdin: json(2_000_000) }); // ~10 MB
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/larger than 8388608 bytes/);
    const smaller = await cli(['validate', '-'], { stdin: json(1_500_000) }); // 7.5 MB: JSON.parse, then the limit
    expect(smaller.code).toBe(2);
    expect(smaller.stderr).toMatch(/document 1 \(line 1\): 1500000 containers, more than the 1000 a pod may have/);
  });

  it('too many documents', () => {
    const text = '---\nkind: ConfigMap\n'.repeat(MANIFEST_LIMITS.maxDocuments + 1);
    expect(() => parseManifest(text, 'many.yaml')).toThrow(/more than 10000 documents; split the file/);
  });

  it('a YAML alias bomb is an input error (exit 2), not an internal error', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, c] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries())
      bomb.push(
        `${c}: &${c} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    const r = await cli(['validate', 'bomb.yaml'], { files: { 'bomb.yaml': `${bomb.join('\n')}\nkind: Pod\n` } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bomb.yaml: document at line 1: YAML aliases expand beyond 100 \(an alias bomb\?\)/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('deep JSON and deep YAML flow nesting: a nesting error, never "Maximum call stack size exceeded"', async () => {
    for (const depth of [150, 5000, 200_000]) {
      const deep = `{"kind":"Pod","spec":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const r = await cli(['validate', '-'], { stdin: deep });
      expect(r.code, `depth ${depth}`).toBe(2);
      expect(r.stderr).toMatch(/nested more than 100 levels deep/);
      expect(r.stderr).not.toMatch(/call stack/);
    }
    const yamlDeep = `kind: Pod\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const y = await cli(['validate', '-'], { stdin: yamlDeep });
    expect(y.code).toBe(2);
    expect(y.stderr).toMatch(/nested more than 100 levels deep/);
  });

  it('line numbering is linear: 200 000 lookups in 2 million lines (quadratic would take hours)', () => {
    const text = 'x\n'.repeat(2_000_000);
    const lineOf = lineIndex(text);
    let sum = 0;
    for (let offset = 0; offset < text.length; offset += 20) sum += lineOf(offset);
    expect(sum).toBe((200_000 * (1 + 1_999_991)) / 2); // lines 1, 11, 21, …: offset 2k is line k+1
  }, 20_000);

  it('several thousand documents keep their line numbers', () => {
    const text = Array.from({ length: 3000 }, (_, i) => POD(`p${i}`)).join('---\n');
    const manifest = parseManifest(text, 'many.yaml');
    expect(manifest.pods).toHaveLength(3000);
    expect(manifest.pods[2999]).toMatchObject({ document: 3000, line: 2999 * 7 + 1, name: 'p2999' });
  });
});

describe('terminal escapes in manifest strings are escaped in all output', () => {
  it('metadata.name with ESC sequences: validate (text and --json) and simulate', async () => {
    const name = 'evil\u001b]0;pwned\u0007\u001b[2J\u009b31m';
    const pod = JSON.stringify({ kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'a', image: 'b' }] } });
    for (const argv of [
      ['validate', 'p.json'],
      ['validate', 'p.json', '--json'],
      ['simulate', 'p.json'],
    ]) {
      const r = await cli(argv, { files: { 'p.json': pod } });
      // biome-ignore lint/suspicious/noControlCharactersInRegex: checking they are gone
      expect(r.stdout + r.stderr, argv.join(' ')).not.toMatch(/[\u001b\u0007\u009b]/);
      expect(r.stdout + r.stderr).toMatch(/evil\\(u001b|x1b)\]0;pwned/);
    }
    const json = await cli(['validate', 'p.json', '--json'], { files: { 'p.json': pod } });
    expect(JSON.parse(json.stdout).results[0].name).toBe(name); // the escape is JSON's own: same value
  });

  it('escapeControls keeps newlines and tabs, escapes C0, DEL, C1 and bidi overrides', () => {
    expect(escapeControls('a\tb\nc\rd\u007fe\u0085f\u202eg')).toBe('a\tb\nc\\u000dd\\u007fe\\u0085f\\u202eg');
  });
});

describe('small CLI fixes (issue 18)', () => {
  it('--hook …=stderr:TEXT no longer swallows the items after it', () => {
    expect(parseHookScript('web.preStop', 'stderr:boom,exit:1,after:5s')).toMatchObject({
      action: { kind: 'exit', exitCode: 1 },
      afterMs: 5000,
      stderr: 'boom',
    });
    // TEXT may still hold commas that do not start an item
    expect(parseHookScript('web.preStop', 'error:a, b, c,after:1s')).toMatchObject({
      action: { kind: 'error', message: 'a, b, c' },
      afterMs: 1000,
    });
  });

  it('simulate --json on an invalid manifest writes a JSON error object (exit 1)', async () => {
    const bad = 'kind: Pod\nmetadata: { name: x }\nspec:\n  containers:\n  - name: a\n    lifecycle: { preStop: {} }\n';
    const r = await cli(['simulate', 'bad.yaml', '--json'], { files: { 'bad.yaml': bad } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      error: { exitCode: 1, message: expect.stringMatching(/^Pod "x" is invalid: .*preStop: Required value/) },
    });
  });

  it('a postStart that times out is labelled "timed out", not "grace ran out"', async () => {
    const pod =
      'kind: Pod\nmetadata: { name: t }\nspec:\n  containers:\n  - name: a\n    image: b\n    lifecycle: { postStart: { exec: { command: [x] } } }\n';
    const r = await cli(
      [
        'simulate',
        'p.yaml',
        '--hook',
        'a.postStart=hang',
        '--policy',
        'postStartTimeoutSeconds=5',
        '--scenario',
        'none',
      ],
      { files: { 'p.yaml': pod } },
    );
    expect(r.stdout).toMatch(/postStart .*exec 0s → 5s: timed out \(policy postStartTimeoutSeconds\)/);
    expect(r.stdout).not.toMatch(/postStart .*grace ran out/);
  });

  it('run --help lists --show-output and the exit codes', async () => {
    const r = await cli(['run', '--help']);
    expect(r.stdout).toMatch(/--show-output/);
    expect(r.stdout).toMatch(/Exit codes: 0 the pod ran and ended clean/);
    expect(r.stdout).toMatch(/--runtime process\|oci\|docker/);
  });
});
