import { constants } from 'node:os';
import { NodeAdapterError } from './errors.js';

/** Linux numbering of the real-time signals as glibc (and Go, hence runc) exposes them. */
const SIGRTMIN = 34;
const SIGRTMAX = 64;

/**
 * Resolve a Kubernetes signal name (`SIGTERM`, `SIGRTMIN+3`, `SIGRTMAX-1`, …; the `SIG` prefix may
 * be omitted, case is ignored) or a decimal signal number to its Linux number.
 * Throws a {@link NodeAdapterError} with code `ERR_UNKNOWN_SIGNAL` for anything else.
 *
 * @example signalNumber('SIGQUIT') // 3
 */
export function signalNumber(name: string): number {
  const trimmed = name.trim();
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n >= 1 && n <= SIGRTMAX) return n;
  }
  const upper = trimmed.toUpperCase();
  const full = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  const known = (constants.signals as Record<string, number | undefined>)[full];
  if (known !== undefined) return known;
  if (full === 'SIGCLD') return constants.signals.SIGCHLD;
  const rt = /^SIGRT(MIN|MAX)(?:([+-])(\d{1,2}))?$/.exec(full);
  if (rt !== null) {
    const base = rt[1] === 'MIN' ? SIGRTMIN : SIGRTMAX;
    const offset = rt[3] === undefined ? 0 : Number(rt[3]) * (rt[2] === '+' ? 1 : -1);
    const n = base + offset;
    if (n >= SIGRTMIN && n <= SIGRTMAX && (rt[1] === 'MIN' ? offset >= 0 : offset <= 0)) return n;
  }
  throw new NodeAdapterError(
    'ERR_UNKNOWN_SIGNAL',
    `unknown stop signal ${JSON.stringify(name)}: expected a core/v1 Signal name such as "SIGTERM", ` +
      '"SIGQUIT", "SIGRTMIN+1" or a signal number 1-64',
  );
}

/** The conventional shell/CRI exit code of a process killed by `signal`: 128 + its number. */
export function exitCodeForSignal(signal: string): number {
  try {
    return 128 + signalNumber(signal);
  } catch {
    return 128;
  }
}

/** The Node.js name of signal number `n` (`9` → `"SIGKILL"`), or null when it has none. */
export function signalName(n: number): NodeJS.Signals | null {
  const entry = Object.entries(constants.signals).find(([, value]) => value === n);
  return entry === undefined ? null : (entry[0] as NodeJS.Signals);
}
