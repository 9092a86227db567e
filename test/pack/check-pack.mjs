// Packaging check: pack the package as npm would publish it, install the tarball into a scratch
// consumer, then load every entry point the way users do — `import` from ESM, `require()` from
// CommonJS (Node >= 20.19 loads ESM through require) — run the bin, and type-check a consumer
// file against the emitted declarations. Exits non-zero with a reason on the first failure.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = join(root, '.tmp', 'pack-check');
const entries = [
  'kube-lifecycle',
  'kube-lifecycle/testing',
  'kube-lifecycle/node',
  'kube-lifecycle/redis',
  'kube-lifecycle/docker',
];
const expectations = {
  'kube-lifecycle': ['LifecycleManager', 'validatePod', 'systemClock', 'gracefulDelete', 'idempotent'],
  'kube-lifecycle/testing': ['VirtualClock', 'FakeRuntime', 'FakeHttpClient', 'idempotencyStoreConformanceCases'],
  'kube-lifecycle/node': ['ProcessRuntime', 'NodeHttpClient'],
  'kube-lifecycle/redis': ['RedisIdempotencyStore', 'RedisStoreError'],
  'kube-lifecycle/docker': ['DockerRuntime', 'DockerRuntimeError'],
};

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function fail(message) {
  console.error(`pack check failed: ${message}`);
  process.exit(1);
}

rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], root));
const tarball = join(scratch, packed[0].filename);
const files = packed[0].files.map((f) => f.path);
for (const required of [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/testing/index.js',
  'dist/node/index.js',
  'dist/redis/index.js',
  'dist/redis/index.d.ts',
  'dist/docker/index.js',
  'dist/docker/index.d.ts',
  'dist/cli/main.js',
]) {
  if (!files.includes(required)) fail(`the tarball lacks ${required}`);
}
// ioredis is an optional peer: no emitted file may import it (the client is passed in and typed
// structurally), so `kube-lifecycle/redis` loads, and its declarations type-check, without it.
for (const f of files.filter((f) => /^dist\/.*\.(js|d\.ts)$/.test(f))) {
  // Doc comments may show `import { Redis } from 'ioredis'` to the reader; code lines may not.
  const code = readFileSync(join(root, f), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line))
    .join('\n');
  if (/(from\s*|require\(\s*|import\(\s*)['"]ioredis['"]/.test(code))
    fail(`${f} imports ioredis, an optional peer dependency`);
}
for (const f of files) {
  if (/^(src|test|docs|\.ci)\//.test(f)) fail(`the tarball ships ${f}, which is not meant for users`);
}

const pkgDir = join(scratch, 'consumer', 'node_modules', 'kube-lifecycle');
mkdirSync(pkgDir, { recursive: true });
run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], root);
const consumer = join(scratch, 'consumer');
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));

// ESM import
const esm = entries
  .map(
    (e, i) =>
      `import * as m${i} from '${e}';\nfor (const n of ${JSON.stringify(expectations[e])}) if (m${i}[n] === undefined) { console.error('${e} lacks ' + n); process.exit(1); }`,
  )
  .join('\n');
// dockerode is an optional peer: the subpath loads whether or not it is installed; constructing a
// DockerRuntime (no daemon call) works when dockerode resolves from the consumer, and otherwise
// fails with the typed error naming the install command.
const hasDockerode = (() => {
  try {
    createRequire(join(consumer, 'index.js')).resolve('dockerode');
    return true;
  } catch {
    return false;
  }
})();
const dockerodeCheck = hasDockerode
  ? `import { DockerRuntime } from 'kube-lifecycle/docker'; new DockerRuntime({ network: 'host' });`
  : `import { DockerRuntime } from 'kube-lifecycle/docker';
try { new DockerRuntime(); console.error('DockerRuntime constructed without dockerode'); process.exit(1); }
catch (e) { if (e.code !== 'ERR_DOCKERODE_MISSING' || !e.message.includes('npm i dockerode')) { console.error('unexpected: ' + e.code + ' ' + e.message); process.exit(1); } }`;
writeFileSync(join(consumer, 'esm.mjs'), `${esm}\n${dockerodeCheck}\nconsole.log('esm ok');\n`);
// CommonJS require (require(esm), unflagged since Node 20.19)
const cjs = entries
  .map(
    (e) =>
      `{ const m = require('${e}'); for (const n of ${JSON.stringify(expectations[e])}) if (m[n] === undefined) { console.error('${e} lacks ' + n); process.exit(1); } }`,
  )
  .join('\n');
writeFileSync(join(consumer, 'cjs.cjs'), `${cjs}\nconsole.log('cjs ok');\n`);
for (const file of ['esm.mjs', 'cjs.cjs']) {
  try {
    run(process.execPath, ['--no-warnings', file], consumer);
  } catch (error) {
    fail(`${file}: ${error.stderr || error.message}`);
  }
}

// The bin answers --help.
try {
  run(process.execPath, [join(pkgDir, 'dist/cli/main.js'), '--help'], consumer);
} catch (error) {
  fail(`the bin failed on --help: ${error.stderr || error.message}`);
}

// Type-check a consumer against the emitted declarations.
writeFileSync(
  join(consumer, 'consumer.ts'),
  `import { LifecycleManager, validatePod, type Pod, type KubeEvent, type StopResult } from 'kube-lifecycle';
import { VirtualClock, FakeRuntime, FakeHttpClient } from 'kube-lifecycle/testing';
import { ProcessRuntime, NodeHttpClient } from 'kube-lifecycle/node';
import { RedisIdempotencyStore, type RedisIdempotencyClient } from 'kube-lifecycle/redis';
import { DockerRuntime, DockerRuntimeError, type DockerRuntimeOptions, type DockerPullEvent } from 'kube-lifecycle/docker';

const pod: Pod = { metadata: { name: 'p', uid: 'u' }, spec: { containers: [{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 1 } } } }] } };
const errors = validatePod(pod);
const clock = new VirtualClock();
const manager = new LifecycleManager({ runtime: new FakeRuntime({ clock }), httpClient: new FakeHttpClient({ clock }), clock });
manager.on('event', (e: KubeEvent) => void e.reason);
const stopped: Promise<StopResult> = manager.stopContainer(pod, 'web', { gracePeriodOverride: 5 });
declare const client: RedisIdempotencyClient;
const store = new RedisIdempotencyStore({ client, keyPrefix: 'app:' });
const claimed: Promise<unknown> | undefined = store.claim?.('k', { leaseMs: 1000, owner: 'a' });
void claimed;
const dockerOptions: DockerRuntimeOptions = { network: 'host', pullPolicy: 'IfNotPresent', onPull: (e: DockerPullEvent) => void e.message };
void errors; void stopped; void ProcessRuntime; void NodeHttpClient; void dockerOptions; void DockerRuntime; void DockerRuntimeError;
`,
);
writeFileSync(
  join(consumer, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      types: ['node'],
      lib: ['ES2022'],
    },
    files: ['consumer.ts'],
  }),
);
try {
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
} catch (error) {
  fail(`consumer type-check: ${error.stdout || ''}${error.stderr || error.message}`);
}

// The docs' TypeScript blocks against the installed tarball, imports unchanged (`from 'kube-lifecycle'`):
// the same conventions as test/docs/code-blocks.test.ts, which checks them against src/ before a
// build. ```ts run blocks are type-checked with the project's strict settings and run (stdout
// compared with a ```text output block right after); fragments are type-checked loosely (names
// the prose provides are tolerated); ```ts sketch / nocheck blocks are skipped.
const docBlocks = [];
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/;
for (const doc of [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
]) {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (open === null) continue;
    const [, , fence, lang, info] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].trim().startsWith(fence)) end++;
    const flags = info.split(/[\s,]+/).filter((w) => w !== '');
    if ((lang === 'ts' || lang === 'typescript') && !flags.includes('sketch') && !flags.includes('nocheck')) {
      let expected;
      const next = lines.slice(end + 1).findIndex((l) => l.trim() !== '');
      const after = next === -1 ? undefined : FENCE.exec(lines[end + 1 + next]);
      if (flags.includes('run') && after?.[3] === 'text' && after[4].split(/[\s,]+/).includes('output')) {
        let close = end + 2 + next;
        while (close < lines.length && !lines[close].trim().startsWith(after[2])) close++;
        expected = lines.slice(end + 2 + next, close).join('\n');
      }
      const file = join(consumer, 'docs', doc.replace(/\W/g, '_'), `line-${i + 1}.ts`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${lines.slice(i + 1, end).join('\n')}\nexport {};\n`);
      docBlocks.push({ where: `${doc}:${i + 1}`, file, run: flags.includes('run'), expected });
    }
    i = end;
  }
}
{
  const ts = createRequire(import.meta.url)('typescript');
  const strictOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    lib: ['lib.es2022.d.ts'],
  };
  // Cannot find name (2304, 2552, test globals 2582/2593), shorthand of an undeclared name (18004).
  const tolerated = new Set([2304, 2552, 2582, 2593, 18004]);
  const problems = [];
  for (const [group, options, allowed] of [
    [docBlocks.filter((b) => b.run), strictOptions, new Set()],
    [docBlocks.filter((b) => !b.run), { ...strictOptions, noImplicitAny: false }, tolerated],
  ]) {
    const program = ts.createProgram(
      group.map((b) => b.file),
      options,
    );
    for (const block of group) {
      const source = program.getSourceFile(block.file);
      for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
        if (allowed.has(d.code)) continue;
        const line = d.start === undefined ? '?' : source.getLineAndCharacterOfPosition(d.start).line + 1;
        problems.push(
          `${block.where} (block line ${line}): TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
        );
      }
    }
  }
  if (problems.length > 0) fail(`docs code blocks against the tarball:\n${problems.join('\n')}`);
  for (const block of docBlocks.filter((b) => b.run)) {
    let stdout;
    try {
      stdout = execFileSync(process.execPath, ['--import', 'tsx', block.file], {
        cwd: consumer,
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      fail(`${block.where} (ts run) against the tarball: ${error.stderr || error.message}`);
    }
    if (block.expected !== undefined && stdout.trimEnd() !== block.expected.trimEnd())
      fail(`${block.where} (ts run) printed\n${stdout}\ninstead of\n${block.expected}`);
  }
}

// A strict TypeScript user, outside this repository's tree so that no optional peer (fast-check,
// dockerode, ioredis) resolves from our node_modules: skipLibCheck off, exactOptionalPropertyTypes
// on. The declarations must stand alone (no TS2307 for fast-check), `as const` / readonly pods
// must be accepted, and the testing kit's options must take an explicit `undefined`. The same
// consumer is compiled with the oldest TypeScript we support (MIN_TYPESCRIPT, README "TypeScript").
const MIN_TYPESCRIPT = '5.0';
const strict = mkdtempSync(join(tmpdir(), 'kube-lifecycle-strict-consumer-'));
const strictPkg = join(strict, 'node_modules', 'kube-lifecycle');
mkdirSync(strictPkg, { recursive: true });
run('tar', ['-xzf', tarball, '-C', strictPkg, '--strip-components=1'], root);
writeFileSync(join(strict, 'package.json'), JSON.stringify({ name: 'strict-consumer', private: true, type: 'module' }));
writeFileSync(
  join(strict, 'strict.ts'),
  `import { LifecycleManager, validatePod, type Pod } from 'kube-lifecycle';
import {
  FakeHttpClient, FakeRuntime, VirtualClock, checkTraceInvariants, lifecycleArbitraries, runScenario,
  type RunScenarioOptions, type Scenario,
} from 'kube-lifecycle/testing';

const pod = {
  metadata: { name: 'web-pod', namespace: 'default', uid: 'uid-1' },
  spec: {
    terminationGracePeriodSeconds: 5,
    containers: [{ name: 'web', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 1'] } } } }],
  },
} as const;
const readonlyPod: Readonly<Pod> = pod;
void validatePod(pod);
const clock = new VirtualClock({ microtaskTurns: undefined });
const runtime = new FakeRuntime({ clock, defaultExec: undefined });
const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
void manager.startContainer(pod, 'web');
void manager.stopContainer(readonlyPod, 'web');
void manager.deletePod(pod);
const scenario: Scenario = { actions: [{ startAll: true }, { at: 1000, delete: true, gracePeriodSeconds: undefined }] };
const options: RunScenarioOptions = { microtaskTurns: undefined, hookDeliveries: undefined, ties: undefined };
void runScenario(pod, scenario, options).then((trace) => checkTraceInvariants(trace));
// Without fast-check installed the arbitraries take and give \`any\`; with it, fast-check's own types.
void lifecycleArbitraries;
`,
);
writeFileSync(
  join(strict, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: false,
      noEmit: true,
      typeRoots: [join(root, 'node_modules/@types')],
      types: ['node'],
      lib: ['ES2022'],
    },
    files: ['strict.ts'],
  }),
);
try {
  createRequire(join(strict, 'index.js')).resolve('fast-check');
  fail(`fast-check resolves from ${strict}: the strict consumer must not see it`);
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND') throw error;
}
try {
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], strict);
} catch (error) {
  fail(
    `strict consumer (no fast-check, skipLibCheck off, exactOptionalPropertyTypes): ${error.stdout || ''}${error.stderr || error.message}`,
  );
}
// The oldest TypeScript: fetched by npx (cached after the first run); without a registry the check
// is skipped with a warning, while a type error with it fails.
let minimum = `TypeScript ${MIN_TYPESCRIPT} skipped (npx could not fetch it)`;
let fetched = true;
try {
  run('npx', ['-y', '-p', `typescript@${MIN_TYPESCRIPT}`, 'tsc', '--version'], strict);
} catch {
  fetched = false;
  console.warn(`pack check: could not fetch typescript@${MIN_TYPESCRIPT}; the minimum-version check is skipped`);
}
if (fetched) {
  try {
    run('npx', ['-y', '-p', `typescript@${MIN_TYPESCRIPT}`, 'tsc', '-p', 'tsconfig.json'], strict);
    minimum = `TypeScript ${MIN_TYPESCRIPT} ok`;
  } catch (error) {
    fail(`strict consumer with typescript@${MIN_TYPESCRIPT}: ${error.stdout || ''}${error.stderr || error.message}`);
  }
}
rmSync(strict, { recursive: true, force: true });

rmSync(scratch, { recursive: true, force: true });
console.log(
  `pack check ok: ${files.length} files; ${entries.length} entry points loaded by import and require; bin runs; ${docBlocks.length} docs code blocks type-check against the tarball (${docBlocks.filter((b) => b.run).length} run); declarations type-check (strict consumer without fast-check; ${minimum})`,
);
