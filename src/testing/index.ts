/**
 * `kube-lifecycle/testing`: virtual time, fakes for every port, duplicate delivery and the
 * runner-independent adapter conformance suites. Pure: no I/O, no global timers. fast-check is
 * not imported here (only by the arbitraries).
 *
 * @module
 */
export { TestingError, VirtualClockError } from './errors.js';
export type { TestingErrorCode } from './errors.js';

export { VirtualClock } from './virtual-clock.js';
export type { PendingTimer, VirtualClockOptions } from './virtual-clock.js';

export { FakeRuntime } from './fake-runtime.js';
export type { FakeContainerState, FakeExitInfo, FakeRuntimeOptions } from './fake-runtime.js';
export type {
  ExecCall, ExecMatcher, ExecScript, RuntimeTimelineEntry, ScriptOptions, StartScript, StopScript,
} from './fake-runtime-scripts.js';

export { FakeHttpClient } from './fake-http-client.js';
export type { FakeHttpClientOptions } from './fake-http-client.js';
export type { HttpRouteMatcher, HttpRouteScript, RecordedHttpRequest } from './fake-http-routes.js';

export { deliverHooksTimes, duplicateDeliveryHttpClient, duplicateDeliveryRuntime } from './duplicate-delivery.js';
export type { DuplicateDeliveryOptions } from './duplicate-delivery.js';

export { registerConformanceCases } from './conformance/conformance-case.js';
export type { ConformanceCase } from './conformance/conformance-case.js';
export { runtimeConformanceCases } from './conformance/runtime-conformance.js';
export type {
  ConformanceProcessBehaviour, RuntimeConformanceHarness, RuntimeConformanceOptions,
} from './conformance/runtime-conformance.js';
export { HTTP_CONFORMANCE_ROUTES, httpClientConformanceCases } from './conformance/http-conformance.js';
export type { HttpConformanceHarness, HttpConformanceRoute } from './conformance/http-conformance.js';
