import { randomUUID } from 'node:crypto';
import { LifecycleManager } from '../index.js';
import { NodeGrpcHealthChecker, NodeHttpClient, NodeTcpDialer } from '../node/index.js';
import { parseArgs } from './args.js';
import { CliError, ExitCode, errorMessage, usageError } from './errors.js';
import { RUN_HELP } from './help.js';
import type { CliIo } from './io.js';
import { readManifest } from './load-manifests.js';
import { parsePolicyFlags } from './policy-flags.js';
import {
  createRunRuntime,
  dockerAnswers,
  dockerEndpoint,
  podWithIP,
  pullReporter,
  type RunRuntime,
  type RunRuntimeChoice,
  wallClock,
} from './run-runtime.js';
import { RunSession } from './run-session.js';
import { graceValue } from './scenario.js';
import { preparePod } from './simulate.js';
import { podStatePaths, readRunState, removeRunState, stateDir } from './state-dir.js';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;

/**
 * `kube-lifecycle run <file>`: the pod on a real runtime (local processes, runc or Docker) with
 * `NodeHttpClient` on the system clock. Events are printed as they happen; the first interrupt
 * (Ctrl-C, SIGTERM, SIGHUP) deletes the pod gracefully with a countdown, the second shortens the
 * grace to 1 second, a third kills everything and exits at once. Exit 0 when the pod ended clean,
 * 1 when it failed, 2 on bad input.
 */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs('run', argv, [
    { name: 'runtime', kind: 'string' },
    { name: 'rootfs', kind: 'string' },
    { name: 'grace', kind: 'string' },
    { name: 'pod', kind: 'string' },
    { name: 'policy', kind: 'list' },
    { name: 'show-output', kind: 'boolean' },
    { name: 'network', kind: 'string' },
    { name: 'sandbox-image', kind: 'string' },
    { name: 'sandbox-command', kind: 'string' },
    { name: 'pull-policy', kind: 'string' },
    { name: 'back-off', kind: 'string' },
    { name: 'state-dir', kind: 'string' },
  ]);
  if (args.bool('help')) {
    io.stdout(RUN_HELP);
    return ExitCode.ok;
  }
  const [file, ...extra] = args.positionals;
  if (file === undefined) throw usageError('run', 'missing <file>: the pod manifest to run');
  if (extra.length > 0) throw usageError('run', `unexpected argument ${JSON.stringify(extra[0])}: run takes one file`);
  const choice = await chooseRuntime(args, io);
  const graceText = args.string('grace');
  let grace: number | undefined;
  try {
    grace = graceText === undefined ? undefined : graceValue(graceText);
  } catch (error) {
    throw usageError('run', `--grace: ${errorMessage(error)}`);
  }
  const policy = parsePolicyFlags('run', args.list('policy'));
  const backOff = parseBackOff(args.string('back-off'));
  const manifest = await readManifest(io, file);
  const name = args.string('pod');
  const entry = name === undefined ? manifest.pods[0] : manifest.pods.find((p) => p.name === name);
  if (entry === undefined)
    throw usageError(
      'run',
      name === undefined
        ? `${manifest.source}: no Pod or workload with a pod template`
        : `--pod ${JSON.stringify(name)}: not in ${manifest.source}`,
    );
  if (name === undefined && manifest.pods.length > 1)
    throw usageError('run', `${manifest.source} holds ${manifest.pods.length} pods; choose one with --pod NAME`);
  const prepared = preparePod(entry.pod, policy);
  // A fresh UID per run (the manifest's own if it has one): runc and Docker name containers by it.
  const ownUid = (entry.pod as { metadata?: { uid?: unknown } }).metadata?.uid;
  const uid = typeof ownUid === 'string' && ownUid !== '' ? ownUid : randomUUID();

  const root = args.string('state-dir') ?? stateDir();
  const namespace = prepared.metadata?.namespace ?? 'default';
  const podName = prepared.metadata?.name ?? '';
  const existing = readRunState(root, namespace, podName);
  if (existing !== undefined && !existing.stale)
    throw new CliError(
      `pod ${namespace}/${podName} is already run by process ${existing.state.pid} (kube-lifecycle describe ${podName}); a pod name is run once at a time`,
      { exitCode: ExitCode.usage },
    );
  if (existing !== undefined) {
    io.stderr(
      `kube-lifecycle: replacing a stale entry of pod ${namespace}/${podName} (its run process ${existing.state.pid} is gone; containers it left are not cleaned up here${existing.state.runtime.name === 'docker' ? ': a Docker run sweeps them by label' : ''})\n`,
    );
    removeRunState(existing.paths);
  }
  const { runtime, description } = createOrFallBack(choice, args.string('runtime') === undefined, io);
  let session: RunSession | undefined;
  try {
    const pod = podWithIP(choice, { ...prepared, metadata: { ...prepared.metadata, uid } });
    const manager = new LifecycleManager({
      runtime,
      httpClient: new NodeHttpClient(),
      tcpDialer: new NodeTcpDialer(),
      grpcHealthChecker: new NodeGrpcHealthChecker(),
      clock: wallClock,
      policy,
      ...(backOff === undefined ? {} : { crashLoopBackOff: backOff }),
    });
    session = new RunSession({
      io,
      pod,
      manager,
      runtime,
      grace,
      description,
      runtimeName: choice.name,
      manifest: manifest.source,
      state: podStatePaths(root, namespace, podName),
    });
    return await session.run();
  } catch (error) {
    if (session === undefined) await runtime.dispose().catch(() => undefined);
    throw error;
  }
}

/** `--back-off INITIAL[:MAX]` (seconds, or with a unit): the CrashLoopBackOff figures. */
function parseBackOff(text: string | undefined): { initialSeconds: number; maxSeconds?: number } | undefined {
  if (text === undefined) return undefined;
  const [first, second, ...rest] = text.split(':');
  const seconds = (part: string | undefined): number | undefined => {
    if (part === undefined) return undefined;
    try {
      const value = graceValue(part);
      if (value > 0) return value;
    } catch {}
    throw usageError('run', `--back-off ${JSON.stringify(text)}: expected INITIAL[:MAX], e.g. 1s:10s (seconds > 0)`);
  };
  if (rest.length > 0) seconds('');
  const initialSeconds = seconds(first) as number;
  const maxSeconds = seconds(second);
  if (maxSeconds !== undefined && maxSeconds < initialSeconds)
    throw usageError('run', `--back-off ${JSON.stringify(text)}: MAX is below INITIAL`);
  return maxSeconds === undefined
    ? { initialSeconds, maxSeconds: Math.max(initialSeconds, 300) }
    : { initialSeconds, maxSeconds };
}

async function chooseRuntime(args: ReturnType<typeof parseArgs>, io: CliIo): Promise<RunRuntimeChoice> {
  const named = args.string('runtime');
  if (named !== undefined && named !== 'process' && named !== 'oci' && named !== 'docker')
    throw usageError('run', `--runtime ${JSON.stringify(named)}: expected process, oci or docker`);
  const rootfs = args.string('rootfs');
  const dockerFlags = ['network', 'sandbox-image', 'sandbox-command', 'pull-policy'].filter(
    (f) => args.string(f) !== undefined,
  );
  const name = named ?? (rootfs !== undefined ? 'oci' : (await dockerAnswers()) ? 'docker' : 'process');
  if (name === 'oci' && rootfs === undefined)
    throw usageError('run', "--runtime oci needs --rootfs DIR (the containers' root filesystem)");
  if (name !== 'oci' && rootfs !== undefined) throw usageError('run', '--rootfs only applies to --runtime oci');
  if (name !== 'docker' && dockerFlags.length > 0)
    throw usageError('run', `--${dockerFlags[0]} only applies to --runtime docker`);
  const output = args.bool('show-output') ? ('inherit' as const) : ('ignore' as const);
  if (name !== 'docker') return { name, output, ...(rootfs === undefined ? {} : { rootfs }) };
  if (named === 'docker' && !(await dockerAnswers())) {
    const endpoint = dockerEndpoint();
    throw usageError(
      'run',
      `--runtime docker: no Docker daemon answers at ${'socketPath' in endpoint ? endpoint.socketPath : `${endpoint.host}:${endpoint.port}`} (start one, or set DOCKER_HOST)`,
    );
  }
  const network = args.string('network');
  if (network !== undefined && network !== 'bridge' && network !== 'host')
    throw usageError('run', `--network ${JSON.stringify(network)}: expected bridge or host`);
  const pullPolicy = args.string('pull-policy');
  if (pullPolicy !== undefined && !(PULL_POLICIES as readonly string[]).includes(pullPolicy))
    throw usageError('run', `--pull-policy ${JSON.stringify(pullPolicy)}: expected ${PULL_POLICIES.join(', ')}`);
  const sandboxImage = args.string('sandbox-image');
  const sandboxCommand = args.string('sandbox-command')?.trim().split(/\s+/);
  return {
    name,
    output,
    docker: {
      ...(network === undefined ? {} : { network }),
      ...(pullPolicy === undefined ? {} : { pullPolicy: pullPolicy as (typeof PULL_POLICIES)[number] }),
      ...(sandboxImage === undefined ? {} : { sandboxImage }),
      ...(sandboxCommand === undefined ? {} : { sandboxCommand }),
      onPull: pullReporter(io, { containerEvents: 'skip' }),
    },
  };
}

/** The default `docker` falls back to `process` when dockerode (an optional peer) is not installed. */
function createOrFallBack(choice: RunRuntimeChoice, defaulted: boolean, io: CliIo): RunRuntime {
  try {
    return createRunRuntime(choice);
  } catch (error) {
    if (!defaulted || choice.name !== 'docker') throw error;
    io.stderr(`kube-lifecycle: a Docker daemon answers but ${errorMessage(error)}; using --runtime process\n`);
    return createRunRuntime({ name: 'process', output: choice.output });
  }
}
