import { usageError } from './errors.js';

/** One flag a command accepts. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `delete-at`. */
  readonly name: string;
  /** `boolean`: present or not; `string`: one value (last wins); `list`: repeatable. */
  readonly kind: 'boolean' | 'string' | 'list';
  /** One-letter alias without the dash, e.g. `h`. */
  readonly short?: string;
}

/** Flags and positionals of one command line. */
export class ParsedArgs {
  constructor(
    readonly positionals: readonly string[],
    private readonly values: ReadonlyMap<string, string | boolean | string[]>,
  ) {}

  /** Whether a boolean flag was given. */
  bool(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** The value of a string flag, or undefined. */
  string(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  /** Every value of a repeatable flag, in order. */
  list(name: string): readonly string[] {
    const value = this.values.get(name);
    return Array.isArray(value) ? value : [];
  }
}

/** The flags every command accepts. */
export const COMMON_FLAGS: readonly FlagSpec[] = [{ name: 'help', kind: 'boolean', short: 'h' }];

/**
 * Parses `argv` (after the command name) against `specs`: `--name value`, `--name=value`, `-h`,
 * `--` ends the flags, a lone `-` is a positional (stdin). Unknown flags and missing values are
 * usage errors naming the closest known flag.
 */
export function parseArgs(command: string, argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const all = [...COMMON_FLAGS, ...specs];
  const positionals: string[] = [];
  const values = new Map<string, string | boolean | string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = eq < 0 ? arg : arg.slice(0, eq);
    const spec = arg.startsWith('--')
      ? all.find((s) => `--${s.name}` === rawName)
      : all.find((s) => s.short !== undefined && `-${s.short}` === rawName);
    if (spec === undefined) {
      const hint = closest(
        rawName.replace(/^-+/, ''),
        all.map((s) => s.name),
      );
      throw usageError(command, `unknown flag ${rawName}${hint === undefined ? '' : ` (did you mean --${hint}?)`}`);
    }
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw usageError(command, `flag --${spec.name} takes no value`);
      values.set(spec.name, true);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw usageError(command, `flag --${spec.name} needs a value`);
      }
      value = next;
      i++;
    }
    if (spec.kind === 'string') values.set(spec.name, value);
    else values.set(spec.name, [...((values.get(spec.name) as string[] | undefined) ?? []), value]);
  }
  return new ParsedArgs(positionals, values);
}

/** The candidate closest to `word` (prefix matches first; edit distance up to a third of its length, at least 2), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const prefixed = candidates.find((c) => word.length >= 3 && c.startsWith(word));
  if (prefixed !== undefined) return prefixed;
  let best: { name: string; distance: number } | undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
