/**
 * The handler runner (spec §5) and the pure helpers it is built from.
 *
 * @module
 */
export type { HandlerOutcome, HandlerRunContext } from './types.js';
export { runHandler, formatHandler } from './run-handler.js';
export { runExecHandler } from './exec-handler.js';
export { runHttpGetHandler, MAX_HTTP_REQUESTS } from './http-handler.js';
export { runSleepHandler, SLEEP_TERMINATED_ERROR } from './sleep-handler.js';
export type { BuildHttpGetRequestResult } from './http-request.js';
export {
  buildHttpGetRequest,
  canonicalHeaderKey,
  checkRequestHeaders,
  isValidHeaderValue,
  resolveContainerPort,
} from './http-request.js';
export { describeError, formatPodDesc, goQuote, goStringSlice } from './format.js';
export type { GoUrl, GoUrlParse } from './go-url.js';
export { goUrlHostname, goUrlString, joinHostPort, parseGoUrl, resolveGoUrl } from './go-url.js';
