import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** docs/semantics.md names the test that pins each behaviour: those tests must exist. */
describe('docs/semantics.md', () => {
  const md = readFileSync('docs/semantics.md', 'utf8').replace(/\s+/g, ' ');
  const citations = [...md.matchAll(/`(test\/[^`]+\.ts)` › ((?:"[^"]+"(?:, )?)+)/g)].flatMap((m) =>
    [...(m[2] as string).matchAll(/"([^"]+)"/g)].map((n) => [m[1] as string, n[1] as string] as const),
  );

  it('cites tests', () => {
    expect(citations.length).toBeGreaterThan(40);
  });

  it.each(citations)('%s has a test named %j', (file, name) => {
    expect(existsSync(file), file).toBe(true);
    expect(readFileSync(file, 'utf8').replace(/\s+/g, ' ')).toContain(name);
  });
});
