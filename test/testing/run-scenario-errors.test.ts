import { describe, expect, it } from 'vitest';
import { runScenario, type Scenario, ScenarioError, TestingError } from '../../src/testing/index.js';
import { shop } from './scenario-fixtures.js';

const failure = async (scenario: unknown): Promise<ScenarioError> => {
  const error = await runScenario(shop, scenario as Scenario).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  expect(error).toBeInstanceOf(TestingError);
  expect(error).toMatchObject({ name: 'ScenarioError', code: 'ERR_SCENARIO_INVALID' });
  return error as ScenarioError;
};

describe('malformed scenarios are refused with ERR_SCENARIO_INVALID, naming the place', () => {
  it('an unknown container in an action', async () => {
    const error = await failure({ actions: [{ startAll: true }, { at: 5, crash: 'wbe' }] });
    expect(error).toMatchObject({ path: 'actions[1].crash', actionIndex: 1 });
    expect(error.message).toMatchInlineSnapshot(
      `"scenario.actions[1].crash: unknown container "wbe"; the pod has migrate, proxy, web, api"`,
    );
  });

  it('a negative, NaN or non-number time', async () => {
    expect((await failure({ actions: [{ at: -1, start: 'web' }] })).message).toMatchInlineSnapshot(
      `"scenario.actions[0].at: expected a time in virtual ms >= 0, got -1"`,
    );
    expect((await failure({ actions: [{ at: Number.NaN, start: 'web' }] })).path).toBe('actions[0].at');
    expect((await failure({ actions: [{ at: '5s', start: 'web' }] })).path).toBe('actions[0].at');
  });

  it('an unknown action, two actions in one, an unknown key', async () => {
    expect((await failure({ actions: [{ at: 0, restart: 'web' }] })).message).toMatchInlineSnapshot(
      `"scenario.actions[0]: unknown action: no action (keys: at, restart); expected exactly one of start, startAll, stop, crash, delete"`,
    );
    expect((await failure({ actions: [{ start: 'web', stop: 'web' }] })).message).toContain('start and stop at once');
    expect((await failure({ actions: [{ stop: 'web', grace: 3 }] })).message).toMatchInlineSnapshot(
      `"scenario.actions[0].grace: unknown key; expected one of at, after, stop, gracePeriodOverride, reason"`,
    );
    expect((await failure({ actions: [], hook: {} })).path).toBe('hook');
    expect((await failure({ actions: [{ startAll: false }] })).path).toBe('actions[0].startAll');
    expect((await failure({})).message).toBe('scenario.actions: expected an array of actions, got nothing');
    expect((await failure(null)).path).toBe('<root>');
  });

  it('bad action fields', async () => {
    expect((await failure({ actions: [{ crash: 'web', exitCode: 256 }] })).path).toBe('actions[0].exitCode');
    expect((await failure({ actions: [{ stop: 'web', gracePeriodOverride: -1 }] })).path).toBe(
      'actions[0].gracePeriodOverride',
    );
    expect((await failure({ actions: [{ stop: 'web', reason: 'OOM' }] })).message).toContain(
      'expected one of StartupProbe, LivenessProbe, FailedPostStartHook, Unknown',
    );
    expect((await failure({ actions: [{ delete: true, gracePeriodSeconds: 1.5 }] })).path).toBe(
      'actions[0].gracePeriodSeconds',
    );
  });

  it('after that is not an earlier action, or given with at', async () => {
    expect((await failure({ actions: [{ after: 0, startAll: true }] })).message).toBe(
      'scenario.actions[0].after: expected the index of an earlier action (0 to -1), got 0',
    );
    expect((await failure({ actions: [{ startAll: true }, { after: 1, delete: true }] })).path).toBe(
      'actions[1].after',
    );
    expect((await failure({ actions: [{ startAll: true }, { at: 5, after: 0, delete: true }] })).message).toBe(
      'scenario.actions[1]: give at or after, not both',
    );
  });

  it('an action after until, a bad until or maxTimers', async () => {
    expect((await failure({ actions: [{ at: 10, start: 'web' }], until: 5 })).message).toBe(
      'scenario.actions[0].at: 10 ms is after until (5 ms); the action would never run',
    );
    expect((await failure({ actions: [], until: -5 })).path).toBe('until');
    expect((await failure({ actions: [], maxTimers: 0 })).path).toBe('maxTimers');
  });

  it('hooks that do not exist or cannot be scripted, and outcomes for the wrong kind of hook', async () => {
    expect((await failure({ actions: [], hooks: { 'web.preStart': {} } })).message).toContain(
      'expected a key "<container>.postStart" or "<container>.preStop"',
    );
    expect((await failure({ actions: [], hooks: { 'api.postStart': {} } })).message).toBe(
      'scenario.hooks["api.postStart"]: container api has no postStart hook',
    );
    expect((await failure({ actions: [], hooks: { 'db.preStop': {} } })).message).toContain('unknown container "db"');
    expect((await failure({ actions: [], hooks: { 'web.preStop': { status: 500 } } })).path).toBe(
      'hooks["web.preStop"].status',
    );
    expect((await failure({ actions: [], hooks: { 'api.preStop': { exitCode: 1 } } })).path).toBe(
      'hooks["api.preStop"].exitCode',
    );
    expect((await failure({ actions: [], hooks: { 'web.preStop': { hang: true, reject: 'x' } } })).message).toContain(
      'choose one outcome, got hang and reject',
    );
    expect((await failure({ actions: [], hooks: { 'web.preStop': { hang: true, delayMs: 5 } } })).path).toBe(
      'hooks["web.preStop"].delayMs',
    );
    expect((await failure({ actions: [], hooks: { 'web.preStop': { throw: 'x', exitCode: 1 } } })).message).toContain(
      'choose one outcome',
    );
  });

  it('faults for unknown containers, init plans for non-init containers, bad policy and kubeletVersion', async () => {
    expect((await failure({ actions: [], stops: { db: {} } })).path).toBe('stops["db"]');
    expect((await failure({ actions: [], starts: { web: { delayMs: -1 } } })).path).toBe('starts["web"].delayMs');
    expect((await failure({ actions: [], init: { proxy: {} } })).message).toContain('proxy is not an init container');
    expect((await failure({ actions: [], exec: { '/bin/x': { exitCode: 'one' } } })).path).toBe(
      'exec["/bin/x"].exitCode',
    );
    expect((await failure({ actions: [], http: { '/x': { status: 99 } } })).path).toBe('http["/x"].status');
    expect((await failure({ actions: [], policy: { httpStatus: 'strict' } })).message).toContain('policy.httpStatus');
    expect((await failure({ actions: [], kubeletVersion: 'v1.35' })).path).toBe('kubeletVersion');
  });

  it('an invalid pod is the manager`s LifecycleSpecError, with every field error', async () => {
    const bad = { ...shop, spec: { ...shop.spec!, containers: [{ name: 'Web' }] } };
    await expect(runScenario(bad, { actions: [] })).rejects.toMatchObject({
      code: 'ERR_LIFECYCLE_SPEC',
      errors: [{ field: 'spec.containers[0].name' }],
    });
  });
});
