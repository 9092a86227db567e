import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioTrace } from '../../src/testing/index.js';
import { shop } from './scenario-fixtures.js';

const started = (trace: ScenarioTrace): string[] =>
  trace.runtime.filter((e) => e.kind === 'started').map((e) => `${e.container}@${e.at}`);

describe('runScenario: ties between actions and timers', () => {
  it("'timersFirst' (default): an action sees everything due at its time", async () => {
    const trace = await runScenario(shop, { actions: [{ startAll: true }, { at: 0, delete: true }] });
    expect(started(trace)).toEqual(['migrate@0', 'proxy@0', 'web@0', 'api@0']);
    expect(trace.notes).toEqual([]);
  });

  it("'actionsFirst': an action runs before the timers due at its time, as if armed at the start", async () => {
    const trace = await runScenario(
      shop,
      { actions: [{ startAll: true }, { at: 0, delete: true }] },
      { ties: 'actionsFirst' },
    );
    expect(started(trace)).toEqual(['migrate@0']);
    expect(trace.results.map((r) => `${r.kind}:${r.status}@${r.at}`)).toEqual([
      'startAll:fulfilled@0',
      'delete:fulfilled@0',
    ]);
    expect(trace.notes[0]).toBe(
      'actions[0] (startAll): init container migrate failed (exit 143); later containers were not started',
    );
    expect(trace.violations).toEqual([]);
  });
});

describe('runScenario: init containers', () => {
  it('an init container killed before it completes leaves no timer behind (endAt is the end of the deletion)', async () => {
    const trace = await runScenario(shop, {
      actions: [{ startAll: true }, { at: 1_000, delete: true }],
      init: { migrate: { exitAfterMs: 60_000 } },
    });
    expect(trace.runtime.find((e) => e.kind === 'exit')).toMatchObject({
      container: 'migrate',
      at: 1_000,
      exitCode: 143,
    });
    expect(trace).toMatchObject({ endReason: 'settled', endAt: 1_000, pendingTimers: [] });
  });
});

describe('runScenario: HttpFault refuse', () => {
  it('rejects like a closed port, naming the URL requested, after the delay', async () => {
    const trace = await runScenario(shop, {
      actions: [{ start: 'api' }, { at: 1_000, stop: 'api' }],
      hooks: { 'api.preStop': { refuse: true, delayMs: 500 } },
    });
    const message = 'Get "https://10.0.0.7:8080/drain": dial tcp 10.0.0.7:8080: connect: connection refused';
    expect(trace.http.map((r) => [r.at, r.outcome])).toEqual([[1_000, { error: message }]]);
    expect(trace.results[1]?.stop?.preStop).toMatchObject({ outcome: 'failed', elapsedMs: 500 });
    expect(trace.events.find((e) => e.reason === 'FailedPreStopHook')?.detail).toContain(message);
  });

  it('by route, whatever URL it matched; with a status it is refused as two outcomes', async () => {
    const trace = await runScenario(shop, {
      actions: [{ start: 'proxy' }, { at: 1_000, stop: 'proxy' }],
      http: { '/quit': { refuse: true } },
    });
    expect(trace.http[0]?.outcome).toEqual({
      error: 'Get "http://10.0.0.7:8080/quit": dial tcp 10.0.0.7:8080: connect: connection refused',
    });
    await expect(runScenario(shop, { actions: [], http: { '/quit': { refuse: true, status: 500 } } })).rejects.toThrow(
      'scenario.http["/quit"]: refuse and a status at once; choose one outcome',
    );
  });
});
