import { buildHttpGetRequest, type Container, containersInOrder, type LifecycleHandler, type Pod } from '../index.js';
import type { ExecFault, HttpFault, Scenario, ScenarioAction, StopFault } from '../testing/index.js';
import { formatSeconds } from './durations.js';
import { usageError } from './errors.js';
import type { HookScript, StopBehaviour } from './hook-script.js';
import type { SimulationScript } from './scenario.js';

/** The simulated pod IP when the manifest has none (`status.podIP`). */
export const SIMULATED_POD_IP = '10.244.0.7';
/** The `kubeletVersion` the simulation reproduces (and sends as User-Agent). */
const SIMULATED_KUBELET_VERSION = '1.35';
/** `Scenario.maxTimers` of a simulation: the guard against something rescheduling forever. */
export const SIMULATION_MAX_TIMERS = 100_000;

/** A one-line description of a handler: `exec [/bin/sh -c …]`, `httpGet GET http://…`, `sleep 5s`. */
export function describeHandler(handler: LifecycleHandler, container: Container, pod: Pod): string {
  if (handler.exec !== undefined) return `exec ${JSON.stringify(handler.exec.command ?? [])}`;
  if (handler.httpGet !== undefined) {
    const built = buildHttpGetRequest(handler.httpGet, container, pod, SIMULATED_KUBELET_VERSION);
    return built.ok ? `httpGet ${built.request.url}` : `httpGet (${built.error})`;
  }
  if (handler.sleep !== undefined) return `sleep ${handler.sleep.seconds}s`;
  if (handler.tcpSocket !== undefined) return 'tcpSocket (not supported for hooks: always fails)';
  return 'no handler';
}

/** The CLI's scenario as a `runScenario` scenario, and the flag behind each part of it. */
export interface RunnerSetup {
  readonly scenario: Scenario;
  /**
   * The flag a runner scenario path comes from, for messages: `actions[3].crash` → `--crash web@2s`,
   * `hooks["web.preStop"]` → `--hook web.preStop=exit:1`; `scenario.<path>` when none does.
   */
  readonly origin: (path: string) => string;
}

/**
 * Translates flags and scenario file into the testing kit's scenario: `startAll` at 0; the delete
 * at `deleteAt`, or once the start sequence has settled; repeat deletes and crashes at their
 * times; hook behaviours as exec or HTTP faults, by the kind of the hook's handler; `--http`
 * routes, stop behaviours and init plans. A behaviour that does not fit its hook (an exit code
 * for an httpGet hook) is a usage error here; `runScenario` checks the rest (container names,
 * missing hooks) with a `ScenarioError` whose path {@link RunnerSetup.origin} turns into a flag.
 */
export function toRunnerScenario(pod: Pod, scenario: SimulationScript): RunnerSetup {
  const origins = new Map<string, string>();
  const actions: ScenarioAction[] = [{ at: 0, startAll: true }];
  const schedule = (action: ScenarioAction, label: string): void => {
    origins.set(`actions[${actions.length}]`, label);
    actions.push(action);
  };
  const grace = (seconds: number | undefined) => (seconds === undefined ? {} : { gracePeriodSeconds: seconds });
  if (scenario.deleteAt === undefined)
    schedule({ after: 0, delete: true, ...grace(scenario.gracePeriodSeconds) }, '--grace');
  else
    schedule(
      { at: scenario.deleteAt, delete: true, ...grace(scenario.gracePeriodSeconds) },
      `--delete-at ${formatSeconds(scenario.deleteAt)}`,
    );
  for (const again of scenario.deleteAgain) {
    schedule(
      { at: again.at, delete: true, gracePeriodSeconds: again.gracePeriodSeconds },
      `--delete-again ${formatSeconds(again.at)}:${again.gracePeriodSeconds}`,
    );
  }
  for (const crash of scenario.crashes) {
    schedule(
      { at: crash.at, crash: crash.container, exitCode: crash.exitCode },
      `--crash ${crash.container}@${formatSeconds(crash.at)}`,
    );
  }

  const hooks: Record<string, ExecFault | HttpFault> = {};
  for (const [key, script] of scenario.hooks) {
    origins.set(`hooks[${JSON.stringify(key)}]`, `--hook ${script.text}`);
    const handler = hookHandler(pod, key);
    hooks[key] =
      handler?.httpGet !== undefined ? httpFault(script) : handler?.exec !== undefined ? execFault(script) : {};
  }
  const http = new Map<string, HttpFault>();
  for (const [matcher, script] of scenario.http) {
    const route = matcher.replace(/^GET\s+/i, '').trim(); // `GET /drain` → `/drain`; a URL or `host:port` as is
    if (http.has(route)) continue; // an earlier route with the same matcher answers every request
    origins.set(`http[${JSON.stringify(route)}]`, `--http ${script.text}`);
    http.set(route, httpFault(script));
  }
  for (const name of scenario.stops.keys()) origins.set(`stops[${JSON.stringify(name)}]`, `--stop ${name}`);
  for (const name of scenario.init.keys()) origins.set(`init[${JSON.stringify(name)}]`, `--init ${name}`);
  origins.set('policy', '--policy');

  const runner: Scenario = {
    actions,
    hooks,
    http: Object.fromEntries(http),
    stops: Object.fromEntries([...scenario.stops].map(([name, stop]) => [name, stopFault(stop)])),
    init: Object.fromEntries(
      [...scenario.init].map(([name, plan]) => [name, { exitAfterMs: plan.afterMs, exitCode: plan.exitCode }]),
    ),
    policy: scenario.policy,
    kubeletVersion: SIMULATED_KUBELET_VERSION,
    maxTimers: SIMULATION_MAX_TIMERS,
  };
  const origin = (path: string): string => {
    for (const [prefix, label] of origins) if (path === prefix || path.startsWith(`${prefix}.`)) return label;
    return `scenario.${path}`;
  };
  return { scenario: runner, origin };
}

/** The handler a `CONTAINER.postStart` / `CONTAINER.preStop` key names, if there is one. */
function hookHandler(pod: Pod, key: string): LifecycleHandler | undefined {
  const dot = key.lastIndexOf('.');
  const hook = key.slice(dot + 1);
  if (hook !== 'postStart' && hook !== 'preStop') return undefined;
  const container = containersInOrder(pod).find((c) => c.container.name === key.slice(0, dot))?.container;
  return container?.lifecycle?.[hook];
}

function delay(script: HookScript): { delayMs?: number } {
  return script.afterMs > 0 ? { delayMs: script.afterMs } : {};
}

function execFault(script: HookScript): ExecFault {
  const { action } = script;
  const stderr = script.stderr === undefined ? {} : { stderr: script.stderr };
  switch (action.kind) {
    case 'ok':
      return { exitCode: 0, ...stderr, ...delay(script) };
    case 'exit':
      return { exitCode: action.exitCode, ...stderr, ...delay(script) };
    case 'fail':
      return { exitCode: 1, ...stderr, ...delay(script) };
    case 'hang':
      return { hang: true };
    case 'error':
      return { reject: action.message, ...delay(script) };
    default:
      throw usageError(
        'simulate',
        `--hook ${script.text}: ${action.kind} is for httpGet hooks; an exec hook takes exit:N, fail, hang, error:TEXT, stderr:TEXT, after:DURATION`,
      );
  }
}

function httpFault(script: HookScript): HttpFault {
  const { action } = script;
  switch (action.kind) {
    case 'status':
      return {
        status: action.status,
        ...(action.location === undefined ? {} : { headers: { location: action.location } }),
        ...delay(script),
      };
    case 'ok':
      return { status: 200, ...delay(script) };
    case 'hang':
      return { hang: true };
    case 'plainHttp':
      return { plainHttp: true, ...delay(script) };
    case 'error':
      return { error: action.message, ...delay(script) };
    case 'fail':
    case 'refuse':
      return { refuse: true, ...delay(script) };
    default:
      throw usageError(
        'simulate',
        `--hook/--http ${script.text}: exit codes are for exec hooks; an HTTP route takes status:N, redirect:PATH, refuse, hang, plain-http, error:TEXT, after:DURATION`,
      );
  }
}

function stopFault(stop: StopBehaviour): StopFault {
  if (stop.reject !== undefined) return { reject: stop.reject }; // nothing is signalled: the rest never applies
  return {
    ...(stop.ignoresStopSignal ? { ignoreSigterm: true } : {}),
    ...(stop.exitAfterMs > 0 ? { exitDelayMs: stop.exitAfterMs } : {}),
    ...(stop.exitCode === undefined ? {} : { exitCode: stop.exitCode }),
  };
}
