/**
 * The TypeScript blocks of README.md and docs/*.md are type-checked against the sources, and
 * the ```ts run blocks are executed (their stdout compared with a ```text output block right after,
 * when there is one). Conventions for authors:
 * - ```ts          a fragment, type-checked loosely: it may use names it does not declare (`pod`,
 *                  `manager`, `expect`…), whose values are then `any` (implicit any allowed);
 *                  syntax errors and every other type error fail.
 * - ```ts run      a complete program: type-checked with the project's strict settings and run
 *                  with tsx; must exit 0 (30 s limit).
 * - ```ts sketch / ```ts nocheck   not checked (shapes, excerpts, pseudo-code).
 * `from 'kube-lifecycle'`, `'kube-lifecycle/testing'`, `'kube-lifecycle/node'` and `'kube-lifecycle/redis'` resolve to src/.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, collectBlocks, isSkipped, writeBlocks } from './code-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const blocks = collectBlocks(root);
const checked = blocks.filter((b) => !isSkipped(b));

/** Diagnostics a fragment may have: names the surrounding prose or test file provides. */
const TOLERATED_IN_FRAGMENTS = new Set([
  2304, // Cannot find name 'x'.
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2582, // Cannot find name 'test'/'it'/'describe' (test-runner globals).
  2593, // same, other wording
  18004, // No value exists in scope for the shorthand property 'x'.
]);

const diagnostics = new Map<string, string[]>();

function check(group: readonly CodeBlock[], options: ts.CompilerOptions, tolerated: ReadonlySet<number>): void {
  if (group.length === 0) return;
  const program = ts.createProgram(
    group.map((b) => b.file as string),
    options,
  );
  for (const block of group) {
    const source = program.getSourceFile(block.file as string);
    const all =
      source === undefined
        ? []
        : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    diagnostics.set(
      block.file as string,
      all
        .filter((d) => !tolerated.has(d.code))
        .map((d) => {
          const where =
            d.start === undefined || source === undefined
              ? ''
              : `line ${source.getLineAndCharacterOfPosition(d.start).line + 1}: `;
          return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        }),
    );
  }
}

beforeAll(() => {
  writeBlocks(root, checked);
  const config = ts.getParsedCommandLineOfConfigFile(
    `${root}/tsconfig.json`,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const strict: ts.CompilerOptions = {
    ...config?.options,
    noEmit: true,
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  check(
    checked.filter((b) => b.flags.includes('run')),
    strict,
    new Set(),
  );
  check(
    checked.filter((b) => !b.flags.includes('run')),
    { ...strict, noImplicitAny: false },
    TOLERATED_IN_FRAGMENTS,
  );
}, 120_000);

const name = (b: CodeBlock): string => `${b.doc}:${b.line}${b.flags.length > 0 ? ` (${b.flags.join(' ')})` : ''}`;

describe('code blocks in README.md and docs/*.md', () => {
  it('finds the README quick start (a runnable block)', () => {
    expect(checked.some((b) => b.doc === 'README.md' && b.flags.includes('run'))).toBe(true);
  });

  it.each(checked.map((b) => [name(b), b] as const))('%s type-checks', (_, block) => {
    const problems = diagnostics.get(block.file as string) ?? [];
    expect(
      problems,
      `${block.doc}:${block.line} (mark it \`\`\`ts sketch if it is not meant to compile)\n${problems.join('\n')}`,
    ).toEqual([]);
  });

  const runnable = checked.filter((b) => b.flags.includes('run'));
  it.each(runnable.map((b) => [name(b), b] as const))('%s runs', async (_, block) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', block.file as string], {
      cwd: root,
      timeout: 30_000,
    });
    if (block.expectedOutput !== undefined) expect(stdout.trimEnd()).toBe(block.expectedOutput.trimEnd());
  });
});
