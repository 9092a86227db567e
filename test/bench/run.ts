/**
 * Benchmark runner: `npm run bench` (= `node --expose-gc --import tsx test/bench/run.ts`).
 *
 *   npm run bench                      every benchmark, full size → test/bench/results/latest.json
 *   npm run bench -- --short           tiny sizes (CI smoke; also BENCH_SHORT=1) → results/latest-short.json
 *   npm run bench -- --only scale,validation
 *   npm run bench -- --out /tmp/x.json --in-process
 *   npm run bench -- --subject src     measure the sources through tsx instead of the build
 *
 * Each benchmark runs in its own child process (same Node flags) so that one's garbage, JIT
 * state and heap do not skew the next (the heap and real-clock figures need that); pass
 * `--in-process` to debug. Timing never fails the run: the exit code is non-zero only when a
 * benchmark crashes or its correctness check fails. Targets are reported as met / not met.
 * The script builds first: by default the benchmarks measure `dist/`, the code users import
 * (see subject.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchResult, hasGc, machine } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const MARKER = '@@bench-result@@';

interface Args {
  short: boolean;
  only: string[] | undefined;
  out: string | undefined;
  inProcess: boolean;
  child: string | undefined;
  subject: 'dist' | 'src';
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    short: process.env['BENCH_SHORT'] === '1',
    only: undefined,
    out: undefined,
    inProcess: false,
    child: undefined,
    subject: process.env['BENCH_SUBJECT'] === 'src' ? 'src' : 'dist',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--short') args.short = true;
    else if (a === '--in-process') args.inProcess = true;
    else if (a === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--child') args.child = argv[++i];
    else if (a === '--subject') {
      const value = argv[++i];
      if (value !== 'dist' && value !== 'src') throw new Error(`--subject takes dist or src, got ${String(value)}`);
      args.subject = value;
    } else
      throw new Error(`unknown argument ${a}; use --short, --only a,b, --out file, --in-process, --subject dist|src`);
  }
  return args;
}

type Outcome = BenchResult | { readonly name: string; readonly crashed: string };

async function runOne(name: string, short: boolean): Promise<BenchResult> {
  const { benchmarks } = await import('./benchmarks.js');
  const entry = benchmarks.find(([n]) => n === name);
  if (entry === undefined)
    throw new Error(`no benchmark named ${name}; known: ${benchmarks.map(([n]) => n).join(', ')}`);
  return entry[1]({ short });
}

function runChild(name: string, short: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', name, ...(short ? ['--short'] : [])],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(MARKER));
      if (code === 0 && line !== undefined) resolve(JSON.parse(line.slice(MARKER.length)) as BenchResult);
      else
        resolve({
          name,
          crashed: `child exited with ${signal ?? code}${out.trim() ? `: ${out.trim().slice(-2_000)}` : ''}`,
        });
    });
  });
}

function formatValue(value: number, unit: string): string {
  const text = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);
  return `${text} ${unit}`;
}

function printTable(outcomes: readonly Outcome[], short: boolean): void {
  const rows: string[][] = [['benchmark', 'metric', 'value', 'target', 'met']];
  for (const o of outcomes) {
    if ('crashed' in o) {
      rows.push([o.name, 'CRASHED', o.crashed.split('\n')[0]!.slice(0, 80), '', '']);
      continue;
    }
    let first = true;
    for (const [metric, m] of Object.entries(o.metrics)) {
      const t = o.targets.find((x) => x.metric === metric);
      rows.push([
        first ? o.name : '',
        metric,
        formatValue(m.value, m.unit),
        t ? `${t.op} ${formatValue(t.value, t.unit)}` : '',
        t ? (t.met === undefined ? '(short)' : t.met ? 'yes' : 'NO') : '',
      ]);
      first = false;
    }
    rows.push(['', 'check', o.correct ? 'ok' : `FAILED: ${o.check}`, '', '']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  if (short) console.log('\nshort mode: sizes are tiny, figures are a smoke check only, targets not judged');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Read by subject.ts when the benchmarks are imported (here or in a child, which inherits it).
  process.env['BENCH_SUBJECT'] = args.subject;
  if (args.subject === 'dist' && !existsSync(join(here, '..', '..', 'dist', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does), or pass --subject src');
  }
  const { benchmarks } = await import('./benchmarks.js');
  if (args.child !== undefined) {
    const result = await runOne(args.child, args.short);
    process.stdout.write(`${MARKER}${JSON.stringify(result)}\n`);
    return;
  }
  const selected = args.only ?? benchmarks.map(([n]) => n);
  const outcomes: Outcome[] = [];
  for (const name of selected) {
    console.error(`running ${name}${args.short ? ' (short)' : ''}…`);
    if (args.inProcess) {
      try {
        outcomes.push(await runOne(name, args.short));
      } catch (error) {
        outcomes.push({ name, crashed: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    } else {
      outcomes.push(await runChild(name, args.short));
    }
  }
  const report = {
    date: new Date().toISOString(),
    short: args.short,
    subject: args.subject,
    machine: machine(),
    loadAverage1m: loadavg()[0] ?? 0,
    gcExposed: hasGc(),
    results: outcomes,
  };
  const out = args.out ?? join(here, 'results', args.short ? 'latest-short.json' : 'latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  printTable(outcomes, args.short);
  const m = report.machine;
  console.log(
    `\nmeasured: ${args.subject === 'dist' ? 'dist/ (the built package)' : 'src/ through tsx'}; machine: ${m['cpuModel']} × ${m['cores']}, ` +
      `node ${m['node']}, load ${report.loadAverage1m.toFixed(2)}; JSON: ${out}`,
  );
  const failed = outcomes.filter((o) => 'crashed' in o || !o.correct).map((o) => o.name);
  if (failed.length > 0) {
    console.error(`\nbenchmarks failed (crash or correctness check): ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
