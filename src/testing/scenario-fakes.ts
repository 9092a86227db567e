import { buildHttpGetRequest } from '../hooks/http-request.js';
import type { Pod } from '../spec/types.js';
import { ScenarioError } from './errors.js';
import type { FakeHttpClient } from './fake-http-client.js';
import type { HttpRouteScript } from './fake-http-routes.js';
import type { FakeRuntime } from './fake-runtime.js';
import type { ExecScript, StartScript, StopScript } from './fake-runtime-scripts.js';
import type { ExecFault, FaultPlan, HttpFault, StartFault, StopFault } from './scenario.js';
import { containersInOrder } from './scenario-check.js';

/**
 * Script the fakes from a (checked) fault plan: hook scripts first (on the exec argv of the named
 * container's hook, or on the httpGet hook's URL), then `exec` and `http` by key order, then stop
 * and start behaviour. Internal to `runScenario`.
 */
export function scriptFakes(pod: Pod, plan: FaultPlan, runtime: FakeRuntime, http: FakeHttpClient, kubeletVersion: string): void {
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
      if (!built.ok) throw new ScenarioError(`hooks[${JSON.stringify(key)}]`, `this httpGet hook fails before sending (${built.error}); nothing to script`);
      http.route(built.request.url, routeScript(fault as HttpFault), times);
    }
  }
  for (const [argv, fault] of Object.entries(plan.exec ?? {})) {
    runtime.onExec(argv, execScript(fault), fault.times === undefined ? {} : { times: fault.times });
  }
  for (const [route, fault] of Object.entries(plan.http ?? {})) {
    http.route(route, routeScript(fault), fault.times === undefined ? {} : { times: fault.times });
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

/** An {@link HttpFault} as a `FakeHttpClient` route script. */
export function routeScript(fault: HttpFault): HttpRouteScript {
  if (fault.hang === true) return { hang: true };
  if (fault.error !== undefined) {
    const error = Object.assign(new Error(fault.error), fault.errorCode === undefined ? {} : { code: fault.errorCode });
    return { error, ...delay(fault) };
  }
  if (fault.plainHttp === true) return { plainHttp: true, ...(fault.status === undefined ? {} : { status: fault.status }), ...delay(fault) };
  return { status: fault.status ?? 200, ...(fault.headers === undefined ? {} : { headers: fault.headers }), ...delay(fault) };
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
