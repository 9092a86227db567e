import { buildHttpGetRequest, sleepOn, type Clock, type Container, type LifecycleHandler, type Pod } from '../index.js';
import type { FakeHttpClient, FakeRuntime } from '../testing/index.js';
import { formatSeconds } from './durations.js';
import { usageError } from './errors.js';
import type { HookScript, Scenario } from './scenario.js';

/** The simulated pod IP when the manifest has none (`status.podIP`). */
export const SIMULATED_POD_IP = '10.244.0.7';
/** The `kubeletVersion` the simulation reproduces (and sends as User-Agent). */
export const SIMULATED_KUBELET_VERSION = '1.35';

type ExecScript = Parameters<FakeRuntime['onExec']>[1];
type RouteScript = Parameters<FakeHttpClient['route']>[1];

/** Every container of the pod in start order: init containers (sidecars included), then regular. */
export function containersInOrder(pod: Pod): Array<{ container: Container; kind: 'init' | 'sidecar' | 'container' }> {
  return [
    ...(pod.spec?.initContainers ?? []).map((c) => ({ container: c, kind: c.restartPolicy === 'Always' ? ('sidecar' as const) : ('init' as const) })),
    ...(pod.spec?.containers ?? []).map((c) => ({ container: c, kind: 'container' as const })),
  ];
}

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

/**
 * Scripts the fakes from the scenario: hook scripts on the exec argv or the httpGet URL of the
 * named container's hook, `--http` routes, stop behaviour. Mistakes (unknown container, missing
 * hook, an HTTP outcome on an exec hook) are usage errors that say what exists.
 */
export function scriptFakes(pod: Pod, scenario: Scenario, runtime: FakeRuntime, http: FakeHttpClient, clock: Clock): void {
  const all = containersInOrder(pod).map((c) => c.container);
  const byName = (name: string, flag: string): Container => {
    const found = all.find((c) => c.name === name);
    if (found === undefined) throw usageError('simulate', `${flag}: pod has no container ${JSON.stringify(name)} (containers: ${all.map((c) => c.name).join(', ')})`);
    return found;
  };
  for (const [key, script] of scenario.hooks) {
    const dot = key.lastIndexOf('.');
    const hook = key.slice(dot + 1);
    if (dot <= 0 || (hook !== 'postStart' && hook !== 'preStop')) {
      throw usageError('simulate', `--hook ${script.text}: expected CONTAINER.postStart or CONTAINER.preStop before =`);
    }
    const container = byName(key.slice(0, dot), `--hook ${script.text}`);
    const handler = container.lifecycle?.[hook];
    if (handler === undefined) throw usageError('simulate', `--hook ${script.text}: container ${container.name} has no ${hook} hook`);
    if (handler.exec !== undefined) {
      const argv = handler.exec.command ?? [];
      const matcher = (actual: readonly string[], ref: { name: string }): boolean =>
        ref.name === container.name && actual.length === argv.length && actual.every((a, i) => a === argv[i]);
      runtime.onExec(matcher, execScript(script));
    } else if (handler.httpGet !== undefined) {
      const built = buildHttpGetRequest(handler.httpGet, container, pod, SIMULATED_KUBELET_VERSION);
      if (!built.ok) throw usageError('simulate', `--hook ${script.text}: this httpGet hook fails before sending (${built.error}); nothing to script`);
      http.route(built.request.url, routeScript(script, clock));
    } else {
      const what = handler.sleep !== undefined ? 'a sleep hook runs inside the kubelet' : 'this hook has no exec or httpGet handler';
      throw usageError('simulate', `--hook ${script.text}: ${what}; only exec and httpGet hooks can be scripted`);
    }
  }
  for (const [matcher, script] of scenario.http) http.route(routeMatcher(matcher), routeScript(script, clock));
  for (const [name, stop] of scenario.stops) {
    byName(name, `--stop ${name}`);
    runtime.onStop(name, {
      ...(stop.ignoresStopSignal ? { exitsOn: [] } : {}),
      exitDelayMs: stop.exitAfterMs,
      ...(stop.exitCode === undefined ? {} : { exitCode: stop.exitCode }),
      ...(stop.reject === undefined ? {} : { reject: new Error(stop.reject) }),
    });
  }
  for (const crash of scenario.crashes) byName(crash.container, `--crash ${crash.container}@${formatSeconds(crash.atMs)}`);
  for (const name of scenario.init.keys()) {
    const container = byName(name, `--init ${name}`);
    if (container.restartPolicy === 'Always' || !(pod.spec?.initContainers ?? []).includes(container)) {
      throw usageError('simulate', `--init ${name}: not an init container (sidecars and regular containers run until stopped)`);
    }
  }
}

/** `GET /drain` → `/drain`; a URL or `host:port` as is. */
function routeMatcher(text: string): string {
  return text.replace(/^GET\s+/i, '').trim();
}

function execScript(script: HookScript): ExecScript {
  const delay = script.afterMs > 0 ? { delayMs: script.afterMs } : {};
  const { action } = script;
  switch (action.kind) {
    case 'ok': return { exitCode: 0, stdout: '', stderr: script.stderr ?? '', ...delay };
    case 'exit': return { exitCode: action.exitCode, stdout: '', stderr: script.stderr ?? '', ...delay };
    case 'fail': return { exitCode: 1, stdout: '', stderr: script.stderr ?? '', ...delay };
    case 'hang': return { hang: true };
    case 'error': return { reject: new Error(action.message), ...delay };
    default:
      throw usageError('simulate', `--hook ${script.text}: ${action.kind} is for httpGet hooks; an exec hook takes exit:N, fail, hang, error:TEXT, stderr:TEXT, after:DURATION`);
  }
}

function routeScript(script: HookScript, clock: Clock): RouteScript {
  const delay = script.afterMs > 0 ? { delayMs: script.afterMs } : {};
  const { action } = script;
  switch (action.kind) {
    case 'status':
      return { status: action.status, ...(action.location === undefined ? {} : { headers: { location: action.location } }), ...delay };
    case 'ok': return { status: 200, ...delay };
    case 'hang': return { hang: true };
    case 'plainHttp': return { plainHttp: true, ...delay };
    case 'error': return { error: new Error(action.message), ...delay };
    case 'fail':
    case 'refuse':
      return async (request, { signal }) => {
        if (script.afterMs > 0) await sleepOn(clock, script.afterMs, signal);
        const url = new URL(request.url);
        const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
        throw Object.assign(new Error(`Get "${request.url}": dial tcp ${url.hostname}:${port}: connect: connection refused`), { code: 'ECONNREFUSED' });
      };
    default:
      throw usageError('simulate', `--hook/--http ${script.text}: exit codes are for exec hooks; an HTTP route takes status:N, redirect:PATH, refuse, hang, plain-http, error:TEXT, after:DURATION`);
  }
}
