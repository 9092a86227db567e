/**
 * `kube-lifecycle/testing`: virtual time, fakes for every port, duplicate delivery and the
 * runner-independent adapter conformance suites, the scenario runner, trace invariants and
 * fast-check arbitraries. Pure: no I/O, no global timers. fast-check is never imported at
 * runtime (the arbitraries take your `fc` as a parameter), so this entry loads without it.
 *
 * @module
 */

export type {
  Arbitrary,
  FastCheckApi,
  InvalidPod,
  LifecycleArbitraries,
  ScenarioArbitraryOptions,
} from './arbitraries.js';
export { lifecycleArbitraries } from './arbitraries.js';
export type { ConformanceCase } from './conformance/conformance-case.js';
export { registerConformanceCases } from './conformance/conformance-case.js';
export type { HttpConformanceHarness, HttpConformanceRoute } from './conformance/http-conformance.js';
export { HTTP_CONFORMANCE_ROUTES, httpClientConformanceCases } from './conformance/http-conformance.js';
export type {
  IdempotencyStoreConformanceHarness,
  IdempotencyStoreConformanceOptions,
} from './conformance/idempotency-store-conformance.js';
export { idempotencyStoreConformanceCases } from './conformance/idempotency-store-conformance.js';
export type {
  ConformanceProcessBehaviour,
  RuntimeConformanceHarness,
  RuntimeConformanceOptions,
} from './conformance/runtime-conformance.js';
export { EXITS_BY_ITSELF_AFTER_MS, runtimeConformanceCases } from './conformance/runtime-conformance.js';
export type { DuplicateDeliveryOptions } from './duplicate-delivery.js';
export { deliverHooksTimes, duplicateDeliveryHttpClient, duplicateDeliveryRuntime } from './duplicate-delivery.js';
export type { TestingErrorCode } from './errors.js';
export { ScenarioError, TestingError, VirtualClockError } from './errors.js';
export type { FakeHttpClientOptions } from './fake-http-client.js';
export { FakeHttpClient } from './fake-http-client.js';
export type { HttpRouteMatcher, HttpRouteScript, RecordedHttpRequest } from './fake-http-routes.js';
export type { FakeProbePortOptions, ProbePortCall } from './fake-probe-ports.js';
export { FakeGrpcHealthChecker, FakeTcpDialer } from './fake-probe-ports.js';
export type { FakeContainerState, FakeCrashOptions, FakeRuntimeOptions } from './fake-runtime.js';
export { FakeRuntime } from './fake-runtime.js';
export type {
  ExecCall,
  ExecMatcher,
  ExecScript,
  RuntimeTimelineEntry,
  ScriptOptions,
  StartScript,
  StopScript,
} from './fake-runtime-scripts.js';
export type { SchedulerLike } from './fast-check-clock.js';
export { scheduledClock } from './fast-check-clock.js';
export type { ProbeArbitraryOptions } from './probe-arbitraries.js';
export { probeArbitrary, probeVerdictsArbitrary } from './probe-arbitraries.js';
export type { ProbeTraceCallbacks, ProbeTraceEntry } from './probe-invariants.js';
export { checkNoLivenessKillBeforeStartup, ProbeTraceRecorder } from './probe-invariants.js';
export type { ProbeScript, ProbeVerdict } from './probe-scripts.js';
export {
  failAlways,
  failFrom,
  flapEvery,
  hangFrom,
  passAlways,
  passFrom,
  scriptedProbeAttempt,
} from './probe-scripts.js';
export { runScenario } from './run-scenario.js';
export type {
  ActionTiming,
  CrashAction,
  DeleteAction,
  ExecFault,
  FaultPlan,
  HttpFault,
  InitPlan,
  Scenario,
  ScenarioAction,
  ScenarioActionKind,
  StartAction,
  StartAllAction,
  StartFault,
  StopAction,
  StopFault,
} from './scenario.js';
export type { RunScenarioOptions, ScenarioResult, ScenarioTrace } from './scenario-result.js';
export type { LifecycleTrace, TraceInvariantOptions, TraceTimelineEntry, TraceViolation } from './trace-invariants.js';
export { checkTraceInvariants } from './trace-invariants.js';
export type { PendingTimer, VirtualClockOptions } from './virtual-clock.js';
export { VirtualClock } from './virtual-clock.js';
