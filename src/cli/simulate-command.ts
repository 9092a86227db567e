import { type ParsedArgs, parseArgs } from './args.js';
import { parseDuration } from './durations.js';
import { CliError, ExitCode, usageError } from './errors.js';
import { SIMULATE_HELP } from './help.js';
import { parseCrash, parseDeleteAgain, parseHookScript, parseInit, parseStopBehaviour } from './hook-script.js';
import type { CliIo } from './io.js';
import { type Manifest, type ManifestPod, readManifest } from './load-manifests.js';
import { parseExits, parseHorizon, parseProbes } from './pod-scripts.js';
import { parsePolicyFlags } from './policy-flags.js';
import { renderPodReport } from './render-pod-report.js';
import { reportHeader } from './render-report.js';
import { applyScenarioText, emptyScenario, fromFlag, graceValue, type SimulationScript } from './scenario.js';
import { simulate } from './simulate.js';

const FLAGS = [
  { name: 'delete-at', kind: 'string' },
  { name: 'grace', kind: 'string' },
  { name: 'delete-again', kind: 'list' },
  { name: 'hook', kind: 'list' },
  { name: 'stop', kind: 'list' },
  { name: 'http', kind: 'list' },
  { name: 'crash', kind: 'list' },
  { name: 'init', kind: 'list' },
  { name: 'exit', kind: 'list' },
  { name: 'probe', kind: 'list' },
  { name: 'for', kind: 'string' },
  { name: 'scenario', kind: 'string' },
  { name: 'policy', kind: 'list' },
  { name: 'pod', kind: 'string' },
  { name: 'json', kind: 'boolean' },
  { name: 'ascii', kind: 'boolean' },
] as const;

/**
 * `kube-lifecycle simulate <file>`: the pod on the pod worker in virtual time (`simulate.ts`);
 * events table, timelines and pod status, or `--json`.
 */
export async function simulateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs('simulate', argv, FLAGS);
  if (!args.bool('json')) return simulateWith(args, io);
  try {
    return await simulateWith(args, io);
  } catch (error) {
    // --json promises JSON on stdout: an error becomes { error: { message, exitCode } } there too.
    if (error instanceof CliError)
      io.stdout(`${JSON.stringify({ error: { message: error.message, exitCode: error.exitCode } }, null, 2)}\n`);
    throw error;
  }
}

async function simulateWith(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.bool('help')) {
    io.stdout(SIMULATE_HELP);
    return ExitCode.ok;
  }
  const [file, ...extra] = args.positionals;
  if (file === undefined) throw usageError('simulate', 'missing <file>: the pod manifest to simulate');
  if (extra.length > 0)
    throw usageError('simulate', `unexpected argument ${JSON.stringify(extra[0])}: simulate takes one file`);
  const manifest = await readManifest(io, file);
  const scenario = emptyScenario();
  const scenarioFile = await loadScenario(io, file, args.string('scenario'), scenario);
  applyFlags(args, scenario);
  const entry = choosePod(manifest, scenario.pod);
  const trace = await simulate(entry.pod, scenario);
  if (args.bool('json')) {
    io.stdout(`${JSON.stringify({ source: manifest.source, scenario: scenarioFile ?? null, ...trace }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const header = reportHeader(trace.pod.name, { manifest: manifest.source, scenarioFile, entry });
  io.stdout(renderPodReport(trace, header, { ascii: args.bool('ascii') }));
  return ExitCode.ok;
}

/** Reads `--scenario FILE`, or `<manifest>.scenario.yaml` next to the manifest (`--scenario none` skips it). */
async function loadScenario(
  io: CliIo,
  manifestFile: string,
  flag: string | undefined,
  scenario: SimulationScript,
): Promise<string | undefined> {
  if (flag === 'none') return undefined;
  if (flag !== undefined) {
    let text: string;
    try {
      text = await io.readFile(flag);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw usageError(
        'simulate',
        `cannot read scenario ${flag}: ${code === 'ENOENT' ? 'no such file' : String((error as Error).message)}`,
      );
    }
    applyScenarioText(scenario, text, flag);
    return flag;
  }
  if (manifestFile === '-' || !/\.(ya?ml|json)$/.test(manifestFile)) return undefined;
  const sibling = manifestFile.replace(/\.(ya?ml|json)$/, '.scenario.yaml');
  const text = await io.readFile(sibling).catch(() => undefined);
  if (text === undefined) return undefined;
  applyScenarioText(scenario, text, sibling);
  return sibling;
}

function applyFlags(args: ParsedArgs, scenario: SimulationScript): void {
  const deleteAt = args.string('delete-at');
  if (deleteAt !== undefined) {
    const ms = parseDuration(deleteAt);
    if (ms === undefined)
      throw usageError(
        'simulate',
        `--delete-at ${JSON.stringify(deleteAt)}: expected seconds (10) or a duration (10s, 1500ms)`,
      );
    scenario.deleteAt = ms;
  }
  const grace = args.string('grace');
  if (grace !== undefined) scenario.gracePeriodSeconds = fromFlag('grace', grace, graceValue);
  for (const text of args.list('delete-again'))
    scenario.deleteAgain.push(fromFlag('delete-again', text, parseDeleteAgain));
  for (const text of args.list('hook')) {
    const [key, value] = splitAssignment('hook', text, 'web.preStop=exit:1,after:5s');
    scenario.hooks.set(
      key,
      fromFlag('hook', text, () => parseHookScript(key, value)),
    );
  }
  for (const text of args.list('stop')) {
    const [key, value] = splitAssignment('stop', text, 'web=ignore-sigterm');
    scenario.stops.set(
      key,
      fromFlag('stop', text, () => parseStopBehaviour(value)),
    );
  }
  for (const text of args.list('http')) {
    const match = /^(.*?)=((?:status|redirect|refuse|hang|fail|plain-http|error|after)\b.*)$/.exec(text);
    if (match === null)
      throw usageError('simulate', `--http ${JSON.stringify(text)}: expected 'GET /path=status:500,after:2s'`);
    scenario.http.set(
      match[1] as string,
      fromFlag('http', text, () => parseHookScript(match[1] as string, match[2] as string)),
    );
  }
  for (const text of args.list('crash')) scenario.crashes.push(fromFlag('crash', text, parseCrash));
  for (const text of args.list('init')) {
    const [key, value] = splitAssignment('init', text, 'migrate=exit-after:2s');
    scenario.init.set(
      key,
      fromFlag('init', text, () => parseInit(value)),
    );
  }
  for (const text of args.list('exit')) scenario.exits.push(...fromFlag('exit', text, parseExits));
  for (const text of args.list('probe'))
    for (const probe of fromFlag('probe', text, parseProbes))
      scenario.probes.set(`${probe.container}.${probe.probe}`, probe);
  const horizon = args.string('for');
  if (horizon !== undefined) scenario.forMs = fromFlag('for', horizon, parseHorizon);
  scenario.policy = parsePolicyFlags('simulate', args.list('policy'), scenario.policy);
  const pod = args.string('pod');
  if (pod !== undefined) scenario.pod = pod;
}

function splitAssignment(flag: string, text: string, example: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw usageError('simulate', `--${flag} ${JSON.stringify(text)}: expected NAME=BEHAVIOUR, e.g. ${example}`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function choosePod(manifest: Manifest, name: string | undefined): ManifestPod {
  const names = manifest.pods.map((p) => p.name);
  if (manifest.pods.length === 0)
    throw usageError('simulate', `${manifest.source}: no Pod or workload with a pod template`);
  if (name !== undefined) {
    const found = manifest.pods.find((p) => p.name === name);
    if (found === undefined)
      throw usageError('simulate', `--pod ${name}: not in ${manifest.source} (found: ${names.join(', ')})`);
    return found;
  }
  if (manifest.pods.length > 1)
    throw usageError(
      'simulate',
      `${manifest.source} holds ${manifest.pods.length} pods (${names.join(', ')}); choose one with --pod NAME`,
    );
  return manifest.pods[0] as ManifestPod;
}
