import {
  containersInOrder,
  type KubeEvent,
  LifecycleManager,
  type Pod,
  type PodTerminationResult,
  type Runtime,
  systemClock,
} from '../index.js';
import { NodeHttpClient, OciRuntime, ProcessRuntime } from '../node/index.js';
import { parseArgs } from './args.js';
import { formatSeconds } from './durations.js';
import { ExitCode, errorMessage, usageError } from './errors.js';
import { RUN_HELP } from './help.js';
import type { CliIo } from './io.js';
import { readManifest } from './load-manifests.js';
import { parsePolicyFlags } from './policy-flags.js';
import { graceValue } from './scenario.js';
import { preparePod } from './simulate.js';

type RealRuntime = Runtime & { dispose(): Promise<void>; readonly podIP: string };

/**
 * `kube-lifecycle run <file>`: the pod on a real runtime (local processes or runc) with
 * `NodeHttpClient` on the system clock. Events are printed as they happen; the first interrupt
 * deletes the pod gracefully with a countdown, the second shortens the grace to 1 second, a third
 * kills everything at once.
 */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs('run', argv, [
    { name: 'runtime', kind: 'string' },
    { name: 'rootfs', kind: 'string' },
    { name: 'grace', kind: 'string' },
    { name: 'pod', kind: 'string' },
    { name: 'policy', kind: 'list' },
    { name: 'show-output', kind: 'boolean' },
  ]);
  if (args.bool('help')) {
    io.stdout(RUN_HELP);
    return ExitCode.ok;
  }
  const [file, ...extra] = args.positionals;
  if (file === undefined) throw usageError('run', 'missing <file>: the pod manifest to run');
  if (extra.length > 0) throw usageError('run', `unexpected argument ${JSON.stringify(extra[0])}: run takes one file`);
  const runtimeName = args.string('runtime') ?? 'process';
  if (runtimeName !== 'process' && runtimeName !== 'oci')
    throw usageError('run', `--runtime ${runtimeName}: expected process or oci`);
  const rootfs = args.string('rootfs');
  if (runtimeName === 'oci' && rootfs === undefined)
    throw usageError('run', "--runtime oci needs --rootfs DIR (the containers' root filesystem)");
  if (runtimeName === 'process' && rootfs !== undefined)
    throw usageError('run', '--rootfs only applies to --runtime oci');
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
        : `--pod ${name}: not in ${manifest.source}`,
    );
  if (name === undefined && manifest.pods.length > 1)
    throw usageError('run', `${manifest.source} holds ${manifest.pods.length} pods; choose one with --pod NAME`);
  const prepared = preparePod(entry.pod, policy);
  const pod: Pod = { ...prepared, status: { ...prepared.status, podIP: '127.0.0.1', podIPs: [{ ip: '127.0.0.1' }] } };

  const clock = systemClock;
  const t0 = clock.now();
  const at = (): string => `+${(Math.max(0, clock.now() - t0) / 1000).toFixed(1)}s`;
  let status = '';
  const print = (line: string): void => {
    io.stdout(`${status === '' ? '' : '\r\x1b[K'}${line}\n`);
    if (status !== '') io.stdout(status);
  };
  const setStatus = (text: string): void => {
    if (!io.isTTY) return;
    status = text;
    io.stdout(`\r\x1b[K${text}`);
  };
  const exits = new Map<string, number>();
  let onAnyExit = (): void => {};
  let manager: LifecycleManager | undefined;
  const onExit = (ref: { name: string }, s: { exitCode: number }): void => {
    exits.set(ref.name, s.exitCode);
    print(`${at()}  container ${ref.name} exited with code ${s.exitCode}`);
    manager?.notifyExited(pod, ref.name, { exitCode: s.exitCode });
    onAnyExit();
  };
  const output = args.bool('show-output') ? ('inherit' as const) : ('ignore' as const);
  const runtime: RealRuntime =
    runtimeName === 'oci'
      ? new OciRuntime({ rootfs: rootfs as string, onExit, containerOutput: output })
      : new ProcessRuntime({ onExit, containerOutput: output });
  manager = new LifecycleManager({ runtime, httpClient: new NodeHttpClient(), clock, policy });
  manager.on('event', (e: KubeEvent) =>
    print(
      `${at()}  ${e.type.padEnd(7)}  ${e.reason.padEnd(20)}  ${e.object.name}: ${e.message}${e.detail === undefined ? '' : `\n          ${e.detail}`}`,
    ),
  );

  const keepAlive = setInterval(() => {}, 1 << 30);
  let interrupts = 0;
  let deletion: Promise<PodTerminationResult> | undefined;
  let countdown: ReturnType<typeof setInterval> | undefined;
  let wake = (): void => {};
  const unsubscribe = io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      const effective = grace ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      print(
        `${at()}  Ctrl-C: deleting pod ${pod.metadata?.name} with grace ${effective}s (Ctrl-C again: grace 1s, like kubectl delete --now)`,
      );
      deletion = (manager as LifecycleManager).deletePod(pod, grace === undefined ? {} : { gracePeriodSeconds: grace });
      const deadline = clock.now() + effective * 1000;
      countdown = setInterval(() => {
        const left = Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
        if (io.isTTY) setStatus(`terminating: ${left}s of ${effective}s grace left`);
        else if (left % 5 === 0 && left > 0) print(`${at()}  terminating: ${left}s of ${effective}s grace left`);
      }, 1000);
    } else if (interrupts === 2) {
      print(
        `${at()}  Ctrl-C again: grace shortened to 1s (a hook already running keeps its budget, as the kubelet: k/k#113717)`,
      );
      deletion = (manager as LifecycleManager).deletePod(pod, { gracePeriodSeconds: 1 });
    } else {
      print(`${at()}  Ctrl-C a third time: killing everything now`);
      void runtime.dispose();
    }
    wake();
  });

  try {
    print(
      `${at()}  running pod ${pod.metadata?.name} on ${runtimeName === 'oci' ? 'runc (OciRuntime)' : 'local processes (ProcessRuntime)'}; Ctrl-C deletes it`,
    );
    for (const { container, kind } of containersInOrder(pod)) {
      if (interrupts > 0) break;
      const result = await manager.startContainer(pod, container.name);
      if (result.outcome === 'running') print(`${at()}  container ${container.name} is Running`);
      else
        print(
          `${at()}  container ${container.name} did not become Running: ${result.outcome}${result.message === undefined ? '' : ` (${result.message})`}`,
        );
      if (kind === 'init' && result.outcome === 'running') {
        await new Promise<void>((resolve) => {
          onAnyExit = () => exits.has(container.name) && resolve();
          wake = () => interrupts > 0 && resolve();
          if (exits.has(container.name) || interrupts > 0) resolve();
        });
        if ((exits.get(container.name) ?? 0) !== 0) break;
      } else if (kind !== 'container' && result.outcome !== 'running') break;
    }
    const mains = (pod.spec?.containers ?? []).map((c) => c.name);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (deletion !== undefined || mains.every((n) => exits.has(n))) resolve();
      };
      onAnyExit = check;
      wake = check;
      check();
    });
    if (deletion === undefined) {
      print(`${at()}  every container has exited by itself; nothing to delete (restarts are not performed)`);
      return ExitCode.ok;
    }
    let result = await deletion;
    while (deletion !== undefined && (await deletion) !== result) result = await deletion;
    setStatus('');
    status = '';
    print(`${at()}  pod ${pod.metadata?.name} terminated (grace ${result.gracePeriodSeconds}s)`);
    for (const c of result.containers) {
      const preStop =
        c.preStop.outcome === 'skipped'
          ? ''
          : `, preStop ${c.preStop.outcome}${c.preStop.elapsedMs === undefined ? '' : ` after ${formatSeconds(Math.round(c.preStop.elapsedMs / 100) * 100)}`}`;
      print(
        `  ${c.container}: ${c.outcome}${preStop}${c.stopTimeoutSeconds === undefined ? '' : `, stop timeout ${c.stopTimeoutSeconds}s`}${exits.has(c.container) ? `, exit code ${exits.get(c.container)}` : ''}`,
      );
    }
    return result.containers.some((c) => c.outcome === 'stopFailed' || c.outcome === 'stopTimedOut')
      ? ExitCode.invalid
      : ExitCode.ok;
  } finally {
    unsubscribe();
    clearInterval(keepAlive);
    if (countdown !== undefined) clearInterval(countdown);
    await runtime.dispose();
  }
}
