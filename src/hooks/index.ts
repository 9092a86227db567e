/**
 * The handler runner (spec §5) and the pure helpers it is built from.
 *
 * @module
 */

export { capExecOutput, MAX_EXEC_OUTPUT_BYTES, runExecHandler } from './exec-handler.js';
export { describeError, formatPodDesc, goQuote, goStringSlice } from './format.js';
export type { GoUrl, GoUrlParse } from './go-url.js';
export { goUrlHostname, goUrlString, joinHostPort, parseGoUrl, resolveGoUrl } from './go-url.js';
export { MAX_HTTP_REQUESTS, runHttpGetHandler } from './http-handler.js';
export type { BuildHttpGetRequestResult } from './http-request.js';
export {
  buildHttpGetRequest,
  canonicalHeaderKey,
  checkRequestHeaders,
  isValidHeaderValue,
  resolveContainerPort,
} from './http-request.js';
export { formatHandler, runHandler } from './run-handler.js';
export { runSleepHandler, SLEEP_TERMINATED_ERROR } from './sleep-handler.js';
export type { HandlerOutcome, HandlerRunContext } from './types.js';
