import { containersInOrder } from '../api/container-order.js';
import type { Pod } from '../api/types.js';
import { buildHttpGetRequest } from '../hooks/http-request.js';
import { type Clock, sleepOn } from '../ports/clock.js';
import { ScenarioError } from './errors.js';
import type { FakeHttpClient } from './fake-http-client.js';
import type { HttpRouteScript } from './fake-http-routes.js';
import type { FakeRuntime } from './fake-runtime.js';
import type { ExecScript, StartScript, StopScript } from './fake-runtime-scripts.js';
import type { ExecFault, FaultPlan, HttpFault, StartFault, StopFault } from './scenario.js';

/**
 * Script the fakes from a (checked) fault plan: hook scripts first (on the exec argv of the named
 * container's hook, or on the httpGet hook's URL), then `exec` and `http` by key order, then stop
 * and start behaviour. Internal to `runScenario`.
 */
export function scriptFakes(
  pod: Pod,
  plan: FaultPlan,
  runtime: FakeRuntime,
  http: FakeHttpClient,
  clock: Clock,
  kubeletVersion: string,
): void {
  const order = containersInOrder(pod);
  for (const [key, fault] of Object.entries(plan.hooks ?? {})) {
    const dot = key.lastIndexOf('.');
    const name = key.slice(0, dot);
    const hook = key.slice(dot + 1) as 'postStart' | 'preStop';
    const container = order.find((o) => o.container.name === name)!.container;
    const handler = container.lifecycle![hook]!;
    const times = fault.times === undefined ? {} : { times: fault.times };
    if (handler.exec !== undefined) {
      const argv = handler.exec.command ?? [];
      const matcher = (actual: readonly string[], ref: { readonly name: string }): boolean =>
        ref.name === name && actual.length === argv.length && actual.every((a, i) => a === argv[i]);
      runtime.onExec(matcher, execScript(fault as ExecFault), times);
    } else {
      const built = buildHttpGetRequest(handler.httpGet!, container, pod, kubeletVersion);
      if (!built.ok)
        throw new ScenarioError(
          `hooks[${JSON.stringify(key)}]`,
          `this httpGet hook fails before sending (${built.error}); nothing to script`,
        );
      http.route(built.request.url, routeScript(fault as HttpFault, clock), times);
    }
  }
  for (const [argv, fault] of Object.entries(plan.exec ?? {})) {
    runtime.onExec(argv, execScript(fault), fault.times === undefined ? {} : { times: fault.times });
  }
  for (const [route, fault] of Object.entries(plan.http ?? {})) {
    http.route(route, routeScript(fault, clock), fault.times === undefined ? {} : { times: fault.times });
  }
  for (const [name, fault] of Object.entries(plan.stops ?? {})) {
    runtime.onStop(name, stopScript(fault), fault.times === undefined ? {} : { times: fault.times });
  }
  for (const [name, fault] of Object.entries(plan.starts ?? {})) {
    runtime.onStart(name, startScript(fault), fault.times === undefined ? {} : { times: fault.times });
  }
}

function delay(fault: { readonly delayMs?: number | undefined }): { delayMs?: number } {
  return fault.delayMs === undefined || fault.delayMs === 0 ? {} : { delayMs: fault.delayMs };
}

/** An {@link ExecFault} as a `FakeRuntime` exec script. */
export function execScript(fault: ExecFault): ExecScript {
  if (fault.hang === true) return { hang: true };
  if (fault.throw !== undefined) return { throw: new Error(fault.throw) };
  if (fault.reject !== undefined) return { reject: new Error(fault.reject), ...delay(fault) };
  return { exitCode: fault.exitCode ?? 0, stdout: fault.stdout ?? '', stderr: fault.stderr ?? '', ...delay(fault) };
}

/** An {@link HttpFault} as a `FakeHttpClient` route script; `clock` times the delay of `refuse`. */
export function routeScript(fault: HttpFault, clock: Clock): HttpRouteScript {
  if (fault.hang === true) return { hang: true };
  if (fault.refuse === true) return refuseConnection(clock, fault.delayMs ?? 0);
  if (fault.error !== undefined) {
    const error = Object.assign(new Error(fault.error), fault.errorCode === undefined ? {} : { code: fault.errorCode });
    return { error, ...delay(fault) };
  }
  if (fault.plainHttp === true)
    return { plainHttp: true, ...(fault.status === undefined ? {} : { status: fault.status }), ...delay(fault) };
  return {
    status: fault.status ?? 200,
    ...(fault.headers === undefined ? {} : { headers: fault.headers }),
    ...delay(fault),
  };
}

/** A closed port, as Go's dialer reports it: `ECONNREFUSED`, naming the URL, host and port requested. */
function refuseConnection(clock: Clock, delayMs: number): HttpRouteScript {
  return async (request, { signal }) => {
    if (delayMs > 0) await sleepOn(clock, delayMs, signal);
    const url = new URL(request.url);
    const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
    throw Object.assign(
      new Error(`Get "${request.url}": dial tcp ${url.hostname}:${port}: connect: connection refused`),
      { code: 'ECONNREFUSED' },
    );
  };
}

/** A {@link StopFault} as a `FakeRuntime` stop script. */
export function stopScript(fault: StopFault): StopScript {
  if (fault.reject !== undefined) return { reject: new Error(fault.reject) };
  return {
    ...(fault.ignoreSigterm === true ? { exitsOn: [] } : fault.exitsOn === undefined ? {} : { exitsOn: fault.exitsOn }),
    ...(fault.exitDelayMs === undefined ? {} : { exitDelayMs: fault.exitDelayMs }),
    ...(fault.exitCode === undefined ? {} : { exitCode: fault.exitCode }),
  };
}

/** A {@link StartFault} as a `FakeRuntime` start script. */
export function startScript(fault: StartFault): StartScript {
  if (fault.hang === true) return { hang: true };
  if (fault.throw !== undefined) return { throw: new Error(fault.throw) };
  if (fault.reject !== undefined) return { reject: new Error(fault.reject), ...delay(fault) };
  return delay(fault);
}
