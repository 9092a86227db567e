import type { ContainerState } from '../index.js';
import { formatEventAge } from '../pod/index.js';
import { parseArgs } from './args.js';
import { ExitCode, usageError } from './errors.js';
import { DESCRIBE_HELP } from './help.js';
import type { CliIo } from './io.js';
import { renderEvents } from './render-events.js';
import { listRunStates, readRunState, type StoredRunState, stateDir } from './state-dir.js';

/**
 * `kube-lifecycle describe [POD]`: what `kubectl describe pod` shows, for a pod a `run` process
 * holds (read from the state directory, so it works from a second terminal): status, IP,
 * containers with state, last state and restart count, conditions and the aggregated Events.
 * Without POD, every pod of the namespace. Exit 0; 1 when the pod is not there or its entry is
 * stale (the `run` process is gone); 2 on usage errors.
 */
export async function describeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs('describe', argv, [
    { name: 'namespace', kind: 'string', short: 'n' },
    { name: 'state-dir', kind: 'string' },
  ]);
  if (args.bool('help')) {
    io.stdout(DESCRIBE_HELP);
    return ExitCode.ok;
  }
  const [name, ...extra] = args.positionals;
  if (extra.length > 0)
    throw usageError('describe', `unexpected argument ${JSON.stringify(extra[0])}: one pod at a time`);
  const root = args.string('state-dir') ?? stateDir();
  const namespace = args.string('namespace') ?? 'default';
  const entries =
    name === undefined
      ? listRunStates(root).filter((e) => e.state.pod.namespace === namespace)
      : [readRunState(root, namespace, name)].filter((e): e is StoredRunState => e !== undefined);
  if (entries.length === 0) {
    io.stderr(
      name === undefined
        ? `kube-lifecycle: no pods in namespace ${namespace} (none is held by a 'kube-lifecycle run'; state directory ${root})\n`
        : `kube-lifecycle: pod ${JSON.stringify(name)} not found in namespace ${namespace} (no 'kube-lifecycle run' holds it; state directory ${root})\n`,
    );
    return ExitCode.invalid;
  }
  io.stdout(entries.map((e) => renderDescribe(e, Date.now())).join('\n\n'));
  return entries.some((e) => e.stale) ? ExitCode.invalid : ExitCode.ok;
}

/** One pod, kubectl-describe style, at wall-clock `now`. */
export function renderDescribe(entry: StoredRunState, now: number): string {
  const { state, stale } = entry;
  const status = state.status;
  const out: string[] = [];
  const field = (label: string, value: string, indent = ''): void => {
    out.push(`${indent}${`${label}:`.padEnd(Math.max(20 - indent.length, label.length + 2))}${value}`.trimEnd());
  };
  if (stale)
    out.push(
      `Warning: stale entry: the run process (pid ${state.pid}) is gone; this is the status it last wrote, at ${new Date(state.updatedAt).toISOString()}. Its containers may still exist (a new 'run' of this pod replaces the entry).`,
    );
  field('Name', state.pod.name);
  field('Namespace', state.pod.namespace);
  field('UID', state.pod.uid);
  field('Runtime', state.runtime.description);
  field('Run by', `pid ${state.pid}${stale ? ' (gone)' : ''}, kube-lifecycle run ${state.manifest}`);
  if (status?.startTime !== undefined) field('Start Time', status.startTime);
  field('Status', `${state.terminating ? 'Terminating' : (status?.phase ?? 'Pending')}${stale ? ' (stale)' : ''}`);
  if (status?.reason !== undefined) field('Reason', status.reason);
  if (status?.message !== undefined) field('Message', status.message);
  field('IP', status?.podIP ?? state.podIP ?? '');
  const statuses = new Map(
    [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])].map((s) => [s.name, s]),
  );
  for (const [title, kinds] of [
    ['Init Containers', ['init', 'sidecar']],
    ['Containers', ['container']],
  ] as const) {
    const list = state.containers.filter((c) => (kinds as readonly string[]).includes(c.kind));
    if (list.length === 0) continue;
    out.push(`${title}:`);
    for (const c of list) {
      out.push(`  ${c.name}:`);
      const s = statuses.get(c.name);
      if (s?.containerID !== undefined) field('Container ID', `${state.runtime.name}://${s.containerID}`, '    ');
      field('Image', c.image === '' ? '<none>' : c.image, '    ');
      if (c.kind === 'sidecar') field('Restart Policy', 'Always', '    ');
      out.push(...renderState('State', s?.state ?? { waiting: {} }));
      if (s !== undefined && Object.keys(s.lastState).length > 0) out.push(...renderState('Last State', s.lastState));
      field('Ready', s?.ready === true ? 'True' : 'False', '    ');
      field('Restart Count', String(s?.restartCount ?? 0), '    ');
    }
  }
  const conditions = status?.conditions ?? [];
  if (conditions.length > 0) {
    const width = Math.max(...conditions.map((c) => c.type.length)) + 3;
    out.push('Conditions:', `  ${'Type'.padEnd(width)}Status`);
    for (const c of conditions) out.push(`  ${c.type.padEnd(width)}${c.status}`);
  }
  // The simulation's detail section counts virtual seconds; here details get an age.
  const bare = state.events.map(({ detail: _detail, ...e }) => e);
  out.push(renderEvents(bare, now, 'Events:').trimEnd());
  const detailed = state.events.filter((e) => e.detail !== undefined && e.detail !== '');
  if (detailed.length > 0) {
    out.push('Hook failure details (the kubelet logs these; the events above carry only the reason):');
    for (const e of detailed)
      out.push(
        `  ${formatEventAge({ ...e, count: 1, firstTimestamp: e.timestamp, lastTimestamp: e.timestamp }, now)} ago  ${e.reason}  ${e.object.name}: ${e.detail}`,
      );
  }
  return `${out.join('\n')}\n`;
}

function renderState(label: string, state: ContainerState): string[] {
  const head = (value: string): string => `    ${`${label}:`.padEnd(16)}${value}`;
  const sub = (name: string, value: string | number): string => `      ${`${name}:`.padEnd(14)}${value}`;
  if (state.running !== undefined)
    return [
      head('Running'),
      ...(state.running.startedAt === undefined ? [] : [sub('Started', state.running.startedAt)]),
    ];
  const t = state.terminated;
  if (t !== undefined)
    return [
      head('Terminated'),
      ...(t.reason === undefined ? [] : [sub('Reason', t.reason)]),
      ...(t.message === undefined ? [] : [sub('Message', t.message)]),
      sub('Exit Code', t.exitCode),
      ...(t.startedAt === undefined ? [] : [sub('Started', t.startedAt)]),
      ...(t.finishedAt === undefined ? [] : [sub('Finished', t.finishedAt)]),
    ];
  const w = state.waiting;
  return [
    head('Waiting'),
    ...(w?.reason === undefined ? [] : [sub('Reason', w.reason)]),
    ...(w?.message === undefined ? [] : [sub('Message', w.message)]),
  ];
}
