/** Limits on manifest input (docs/cli.md#limits) and the checks that enforce them. */
import { CliError, ExitCode } from './errors.js';

/**
 * Limits on what the CLI reads, so a hostile or broken input gets a clear error (exit 2) instead
 * of exhausting memory or time. Work stays linear in the input below them.
 */
export interface ManifestLimits {
  /** Size of a manifest file or of stdin. @default 8 MiB (8388608 bytes) */
  readonly maxBytes: number;
  /** Documents in a file, items of a `kind: List` counted one by one. @default 10000 */
  readonly maxDocuments: number;
  /** `containers` + `initContainers` + `ephemeralContainers` of one pod. @default 1000 */
  readonly maxContainers: number;
  /** Nesting of mappings and sequences. @default 100 */
  readonly maxDepth: number;
  /**
   * YAML only: lines plus flow items (`,` `[` `{`) in the whole text, a bound on the nodes the
   * YAML parser builds (about 1 KB each); JSON has no such limit. @default 500000
   */
  readonly maxYamlTokens: number;
  /** YAML aliases resolved per document (the `yaml` package's `maxAliasCount`). @default 100 */
  readonly maxAliasCount: number;
}

/** The limits `readManifest` applies (documented in docs/cli.md, "Limits"). */
export const MANIFEST_LIMITS: ManifestLimits = Object.freeze({
  maxBytes: 8 * 1024 * 1024,
  maxDocuments: 10_000,
  maxContainers: 1_000,
  maxDepth: 100,
  maxYamlTokens: 500_000,
  maxAliasCount: 100,
});

/** The error for an input past `maxBytes`. */
export function tooLarge(source: string, limits: ManifestLimits): CliError {
  return limitError(source, `larger than ${limits.maxBytes} bytes (${formatBytes(limits.maxBytes)}); split the file`);
}

/** An input error (exit 2) naming the source and the limit, with a pointer to the docs. */
export function limitError(source: string, what: string): CliError {
  return new CliError(`${source}: ${what} (limits: docs/cli.md#limits)`, { exitCode: ExitCode.usage });
}

/** `8 MiB` for whole mebibytes, else `N bytes`. */
export function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Lines and flow separators: at least the number of nodes the YAML parser will build, in one pass. */
export function countYamlTokens(text: string): number {
  let count = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44 || c === 91 || c === 123) count++; // \n , [ {
  }
  return count;
}

/** Refuses values nested deeper than `maxDepth`, iteratively (no recursion to overflow). */
export function checkDepth(value: unknown, source: string, line: number, limits: ManifestLimits): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop() as { value: unknown; depth: number };
    if (top.value === null || typeof top.value !== 'object') continue;
    if (top.depth > limits.maxDepth)
      throw limitError(source, `document at line ${line}: nested more than ${limits.maxDepth} levels deep`);
    for (const child of Object.values(top.value)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: top.depth + 1 });
    }
  }
}

/** Refuses a pod spec with more than `maxContainers` containers of all kinds. */
export function checkContainers(
  spec: unknown,
  document: number,
  line: number,
  source: string,
  limits: ManifestLimits,
): void {
  if (!isRecord(spec)) return;
  let count = 0;
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = spec[key];
    if (Array.isArray(list)) count += list.length;
  }
  if (count > limits.maxContainers)
    throw limitError(
      source,
      `document ${document} (line ${line}): ${count} containers, more than the ${limits.maxContainers} a pod may have here`,
    );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
