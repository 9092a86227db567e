import { randomUUID } from 'node:crypto';
import { type ContainerRef, LifecycleManager, systemClock } from '../index.js';
import { NodeHttpClient } from '../node/index.js';
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
} from './run-runtime.js';
import { RunSession } from './run-session.js';
import { graceValue } from './scenario.js';
import { preparePod } from './simulate.js';

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

  let session: RunSession | undefined;
  const onExit = (ref: { name: string }, s: { exitCode: number }): void => session?.exited(ref.name, s.exitCode);
  const { runtime, description, reportsExits } = createOrFallBack(
    choice,
    args.string('runtime') === undefined,
    onExit,
    io,
  );
  try {
    const pod = await podWithIP(choice, runtime, { ...prepared, metadata: { ...prepared.metadata, uid } }).catch(
      (error: unknown) => {
        throw new CliError(`cannot create the pod sandbox: ${errorMessage(error)}`, { exitCode: ExitCode.invalid });
      },
    );
    const manager = new LifecycleManager({ runtime, httpClient: new NodeHttpClient(), clock: systemClock, policy });
    const watch = reportsExits
      ? undefined
      : (ref: ContainerRef, signal: AbortSignal) =>
          runtime.waitContainer?.(ref, { signal }).then(
            (exit) => session?.exited(ref.name, exit.exitCode),
            () => {
              // The manager (which watches waitContainer too) may have had the report first.
              const status = manager.status(pod, ref.name);
              if (status.state === 'Terminated' && status.exitCode !== undefined)
                session?.exited(ref.name, status.exitCode);
            },
          );
    session = new RunSession({ io, pod, manager, runtime, grace, description, watch });
    return await session.run();
  } catch (error) {
    if (session === undefined) await runtime.dispose().catch(() => undefined);
    throw error;
  }
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
      onPull: pullReporter(io),
    },
  };
}

/** The default `docker` falls back to `process` when dockerode (an optional peer) is not installed. */
function createOrFallBack(
  choice: RunRuntimeChoice,
  defaulted: boolean,
  onExit: (ref: { name: string }, status: { exitCode: number }) => void,
  io: CliIo,
): RunRuntime {
  try {
    return createRunRuntime(choice, onExit);
  } catch (error) {
    if (!defaulted || choice.name !== 'docker') throw error;
    io.stderr(`kube-lifecycle: a Docker daemon answers but ${errorMessage(error)}; using --runtime process\n`);
    return createRunRuntime({ name: 'process', output: choice.output }, onExit);
  }
}
