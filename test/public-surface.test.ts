/**
 * The public surface (issue 13 item 6, issue 18 "What a new user tripped over"): every export of
 * the five entry points carries a doc comment, and every value export is named by the README, a
 * page of docs/ or a test that imports it from a barrel, so nothing leaks unnoticed. The few value
 * exports no reader has been shown yet are listed below; the list may only shrink.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const BARRELS = {
  'kube-lifecycle': 'src/index.ts',
  'kube-lifecycle/testing': 'src/testing/index.ts',
  'kube-lifecycle/node': 'src/node/index.ts',
  'kube-lifecycle/redis': 'src/redis/index.ts',
  'kube-lifecycle/docker': 'src/docker/index.ts',
} as const;

/** Value exports not yet shown to a reader (TODO: document or stop exporting). Shrink only. */
const NOT_YET_SHOWN = new Set([
  'kube-lifecycle:DEFAULT_FEATURE_GATES',
  'kube-lifecycle:SIGNAL_NAMES',
  'kube-lifecycle:errorText',
  'kube-lifecycle:KILL_REASONS',
  'kube-lifecycle:DEFAULT_IDEMPOTENCY_LEASE_MS',
  'kube-lifecycle:DEFAULT_IDEMPOTENCY_MAX_ENTRIES',
  'kube-lifecycle:DEFAULT_IDEMPOTENCY_POLL_MS',
  'kube-lifecycle:DEFAULT_IDEMPOTENCY_TTL_MS',
  'kube-lifecycle/redis:DEFAULT_REDIS_KEY_PREFIX',
  'kube-lifecycle/redis:DEFAULT_REDIS_TIMEOUT_MS',
  'kube-lifecycle/docker:ADAPTER_LABELS',
  'kube-lifecycle/docker:KUBERNETES_LABELS',
  'kube-lifecycle/docker:DEFAULT_SANDBOX_IMAGE',
]);

const program = ts.createProgram(
  Object.values(BARRELS).map((f) => join(root, f)),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  },
);
const checker = program.getTypeChecker();

interface ExportInfo {
  readonly entry: string;
  readonly name: string;
  readonly isValue: boolean;
  readonly doc: string;
}

const exportsOf = (entry: keyof typeof BARRELS): ExportInfo[] => {
  const source = program.getSourceFile(join(root, BARRELS[entry]));
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`cannot read the exports of ${BARRELS[entry]}`);
  return checker.getExportsOfModule(module).map((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return {
      entry,
      name: s.name,
      isValue: (target.flags & ts.SymbolFlags.Value) !== 0,
      doc: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
    };
  });
};
const all = (Object.keys(BARRELS) as Array<keyof typeof BARRELS>).flatMap(exportsOf);

const walk = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? ['node_modules', 'results', '__snapshots__'].includes(e.name)
        ? []
        : walk(`${dir}/${e.name}`)
      : [`${dir}/${e.name}`],
  );
const BARREL_IMPORT =
  /from\s+['"](?:\.\.\/)+src\/(?:(?:testing|node|redis|docker)\/)?index\.js['"]|from\s+['"]kube-lifecycle/;
const readers = [
  'README.md',
  ...walk('docs').filter((f) => /\.(md|ts)$/.test(f)),
  ...walk('test').filter((f) => /\.(ts|mjs)$/.test(f) && f !== 'test/public-surface.test.ts'),
]
  .map((f) => ({ f, text: readFileSync(join(root, f), 'utf8') }))
  // Prose counts; code counts when it imports a barrel (a user's view), not a module deep inside.
  .filter(({ f, text }) => f.endsWith('.md') || BARREL_IMPORT.test(text))
  .map(({ text }) => text)
  .join('\n');
const shown = (name: string): boolean => new RegExp(`\\b${name}\\b`).test(readers);

describe('the public surface', () => {
  it('finds the exports of every entry point', () => {
    for (const entry of Object.keys(BARRELS)) expect(all.filter((e) => e.entry === entry).length).toBeGreaterThan(3);
  });

  it('every export of every entry point has a doc comment', () => {
    expect(all.filter((e) => e.doc === '').map((e) => `${e.entry}:${e.name}`)).toEqual([]);
  });

  it('every value export is named by the README, docs/ or a test importing a barrel (known exceptions listed)', () => {
    const unshown = all.filter((e) => e.isValue && !shown(e.name)).map((e) => `${e.entry}:${e.name}`);
    expect(unshown.filter((n) => !NOT_YET_SHOWN.has(n))).toEqual([]);
    // The list only shrinks: a name shown meanwhile must leave it.
    expect([...NOT_YET_SHOWN].filter((n) => !unshown.includes(n))).toEqual([]);
  });
});
