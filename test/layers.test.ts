/**
 * The layer table of DESIGN §3, enforced: a folder of src/ may import its own rank or below,
 * never above; and no two folders import each other (no folder cycles).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');

/** DESIGN §3, lowest first: top may import below, never the reverse. */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'api', 'ports'],
  ['hooks', 'grace', 'idempotency'],
  ['container'],
  ['probes'],
  ['pod'],
  ['manager'],
  ['testing'],
  ['node', 'docker', 'redis'],
  ['cli'],
];

/** The layer of a file in src/: its top folder; files directly in src/ are the lowest layer. */
function unitOf(file: string): string {
  const rel = relative(src, file).split(/[\\/]/);
  return rel.length === 1 ? (rel[0] === 'index.ts' ? 'index' : 'errors') : (rel[0] as string);
}

function rankOf(unit: string): number {
  if (unit === 'index') return Number.POSITIVE_INFINITY; // the barrel re-exports every layer
  const rank = LAYERS.findIndex((layer) => layer.includes(unit));
  return rank;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import (static, `export … from`, dynamic) of one file, resolved to a path in src/. */
function importsOf(file: string): { specifier: string; target: string }[] {
  const text = readFileSync(file, 'utf8');
  const found: { specifier: string; target: string }[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const specifier = match[1] as string;
    found.push({ specifier, target: normalize(join(dirname(file), specifier)) });
  }
  return found;
}

const files = walk(src);

describe('the layer table (DESIGN §3)', () => {
  it('knows the layer of every folder of src/', () => {
    const unknown = [...new Set(files.map(unitOf))].filter((unit) => rankOf(unit) < 0);
    expect(unknown, 'add the folder to LAYERS and to DESIGN §3').toEqual([]);
  });

  it('no folder imports one above it', () => {
    const offences: string[] = [];
    for (const file of files) {
      const from = unitOf(file);
      for (const { specifier, target } of importsOf(file)) {
        const to = unitOf(target);
        if (rankOf(to) > rankOf(from)) {
          offences.push(
            `${relative(root, file)} imports '${specifier}': ${from} (layer ${rankOf(from)}) may not import ${to} (layer ${rankOf(to)})`,
          );
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('no two folders import each other (no folder cycles)', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of files) {
      const from = unitOf(file);
      for (const { target } of importsOf(file)) {
        const to = unitOf(target);
        if (to === from || from === 'index') continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)?.add(to);
      }
    }
    const cycles: string[] = [];
    const visit = (unit: string, path: string[]): void => {
      for (const next of edges.get(unit) ?? []) {
        if (next === path[0]) cycles.push([...path, next].join(' → '));
        else if (!path.includes(next) && next > (path[0] as string)) visit(next, [...path, next]);
      }
    };
    for (const unit of edges.keys()) visit(unit, [unit]);
    expect(cycles).toEqual([]);
  });
});
