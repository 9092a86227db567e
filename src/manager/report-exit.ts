/** @internal The exit report lives in the container layer (src/container/container-exit.ts). */
export { reportExit } from '../container/container-exit.js';
