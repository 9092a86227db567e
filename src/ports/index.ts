export type { Clock } from './clock.js';
export { sleepOn } from './clock.js';
export type { EscalationOptions, EscalationResult } from './escalation.js';
export { stopWithEscalation } from './escalation.js';
export type { GrpcHealthChecker } from './grpc-health-checker.js';
export type { HttpClient, HttpRequest, HttpResponse } from './http-client.js';
export { HTTP_RESPONSE_TO_HTTPS_CLIENT } from './http-client.js';
export type {
  ContainerExit,
  ContainerRef,
  ExecResult,
  PodSandbox,
  Runtime,
  RuntimeEvent,
  StartContainerOptions,
} from './runtime.js';
export { systemClock } from './system-clock.js';
export type { TcpDialer } from './tcp-dialer.js';
