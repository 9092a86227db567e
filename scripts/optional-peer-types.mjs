// Post-build step for the emitted declarations: an import of an optional peer dependency
// (package.json `peerDependenciesMeta[…].optional`, e.g. fast-check for the testing kit's
// arbitraries) gets a `// @ts-ignore` line, so a TypeScript user who has not installed that peer
// gets `any` for the few types that mention it instead of TS2307 in our .d.ts (with skipLibCheck
// off). Users who have the peer installed get its real types. The source cannot carry the comment:
// the declaration bundler drops it. test/pack/check-pack.mjs type-checks a consumer without the
// peers installed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const optional = Object.entries(pkg.peerDependenciesMeta ?? {})
  .filter(([, meta]) => meta.optional === true)
  .map(([name]) => name);
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const importOfPeer = new RegExp(
  `^(import|export)\\b.*\\bfrom ['"](${optional.map(escapeRegExp).join('|')})(/[^'"]*)?['"];?\\s*$`,
);
const marker = '// @ts-ignore -- optional peer dependency: without it these types are `any`';

let marked = 0;
for (const entry of readdirSync(join(root, 'dist'), { recursive: true })) {
  const file = join(root, 'dist', String(entry));
  if (!/\.d\.ts$/.test(file)) continue;
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = [];
  for (const [i, line] of lines.entries()) {
    if (importOfPeer.test(line) && lines[i - 1] !== marker) {
      out.push(marker);
      marked++;
    }
    out.push(line);
  }
  writeFileSync(file, out.join('\n'));
}
console.log(`optional-peer-types: ${marked} import(s) of ${optional.join(', ')} marked in dist/**/*.d.ts`);
