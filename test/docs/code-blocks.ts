import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** One ```ts block of a Markdown file. */
export interface CodeBlock {
  /** Markdown file, relative to the repo root. */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** Info string words after the language: `run`, `sketch`, `nocheck`, … */
  readonly flags: readonly string[];
  /** For `ts run` blocks: a ```text output block right after it, compared with stdout. */
  readonly expectedOutput?: string;
  /** Where the block is written for checking (set by {@link writeBlocks}). */
  file?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/;

/**
 * Extracts the fenced ts/typescript blocks of `markdown`. A block whose info string says `sketch`
 * or `nocheck` is kept but marked (skipped by the test); `run` blocks are executed as well.
 */
export function extractBlocks(doc: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: Array<CodeBlock & { end: number }> = [];
  const others: Array<{ lang: string; flags: string[]; start: number; end: number; code: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (open === null) continue;
    const [, , fence, lang = '', info = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] as string).trim().startsWith(fence as string)) end++;
    const code = lines.slice(i + 1, end).join('\n');
    const flags = info.split(/[\s,]+/).filter((w) => w !== '');
    if (lang === 'ts' || lang === 'typescript') blocks.push({ doc, line: i + 1, code, flags, end });
    else others.push({ lang, flags, start: i, end, code });
    i = end;
  }
  return blocks.map(({ end, ...block }) => {
    if (!block.flags.includes('run')) return block;
    const next = others.find((o) => o.start > end && lines.slice(end + 1, o.start).every((l) => l.trim() === ''));
    return next !== undefined && next.lang === 'text' && next.flags.includes('output')
      ? { ...block, expectedOutput: next.code }
      : block;
  });
}

/** Whether the test skips the block (```ts sketch / ```ts nocheck). */
export function isSkipped(block: CodeBlock): boolean {
  return block.flags.includes('sketch') || block.flags.includes('nocheck');
}

/**
 * Writes every block to `<root>/.tmp/doc-blocks/<doc>/line-<n>.ts` (three levels deep, like
 * `docs/examples/<name>/`, so relative `../../../src/…` imports resolve too), with the package
 * imports pointed at the sources and `export {}` appended so each block is its own module.
 */
export function writeBlocks(root: string, blocks: CodeBlock[]): string {
  const dir = join(root, '.tmp', 'doc-blocks');
  rmSync(dir, { recursive: true, force: true });
  for (const block of blocks) {
    const folder = join(dir, basename(block.doc, '.md').replace(/[^\w-]/g, '_'));
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `line-${block.line}.ts`);
    const code = block.code
      .replace(
        /(from\s+|import\s*\(\s*|import\s+)(['"])kube-lifecycle\/testing\2/g,
        '$1$2../../../src/testing/index.js$2',
      )
      .replace(/(from\s+|import\s*\(\s*|import\s+)(['"])kube-lifecycle\/node\2/g, '$1$2../../../src/node/index.js$2')
      .replace(/(from\s+|import\s*\(\s*|import\s+)(['"])kube-lifecycle\/redis\2/g, '$1$2../../../src/redis/index.js$2')
      .replace(
        /(from\s+|import\s*\(\s*|import\s+)(['"])kube-lifecycle\/docker\2/g,
        '$1$2../../../src/docker/index.js$2',
      )
      .replace(/(from\s+|import\s*\(\s*|import\s+)(['"])kube-lifecycle\2/g, '$1$2../../../src/index.js$2');
    writeFileSync(file, `${code}\nexport {};\n`);
    block.file = file;
  }
  return dir;
}

/** README.md and every docs/*.md (not docs/examples). */
export function markdownFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f));
  return [join(root, 'README.md'), ...docs].map((f) => relative(root, f)).sort();
}

/** Reads and extracts the blocks of every Markdown file. */
export function collectBlocks(root: string): CodeBlock[] {
  return markdownFiles(root).flatMap((doc) => {
    try {
      return extractBlocks(doc, readFileSync(join(root, doc), 'utf8'));
    } catch {
      return [];
    }
  });
}
