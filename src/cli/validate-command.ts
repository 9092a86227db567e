import { aggregateMessage, type FieldError, validatePod } from '../index.js';
import { parseArgs } from './args.js';
import { ExitCode, usageError } from './errors.js';
import { VALIDATE_HELP } from './help.js';
import type { CliIo } from './io.js';
import { type ManifestPod, readManifest } from './load-manifests.js';
import { parsePolicyFlags } from './policy-flags.js';

/** One field error as the CLI reports it: the field path is relative to the document. */
export interface DocumentFieldError {
  readonly type: FieldError['type'];
  readonly field: string;
  readonly message: string;
}

/** The validation result of one pod (or pod template) of a manifest. */
export interface DocumentResult {
  readonly document: number;
  readonly line: number;
  readonly kind: string;
  readonly name: string;
  readonly templatePath: string;
  readonly isValid: boolean;
  readonly errors: readonly DocumentFieldError[];
  /** The API server's aggregate message, e.g. `Pod "web" is invalid: [...]` (absent when valid). */
  readonly message?: string;
}

/**
 * Validates one manifest pod as the API server would, with field paths prefixed by the pod's
 * place in the document (`spec.template.spec.containers[0]…` for a Deployment).
 */
export function validateManifestPod(entry: ManifestPod, options: { allowZeroSleep?: boolean } = {}): DocumentResult {
  const prefix = entry.templatePath === '' ? '' : `${entry.templatePath}.`;
  const errors = validatePod(entry.pod, options).map(
    (e): DocumentFieldError => ({
      type: e.type,
      field: prefix + e.field,
      message: prefix + e.message,
    }),
  );
  const base = {
    document: entry.document,
    line: entry.line,
    kind: entry.kind,
    name: entry.name,
    templatePath: entry.templatePath,
  };
  if (errors.length === 0) return { ...base, isValid: true, errors };
  return { ...base, isValid: false, errors, message: aggregateMessage(entry.name, errors, entry.kind) };
}

/** `kube-lifecycle validate <file|->`: exit 0 when every pod is valid, 1 when one is not. */
export async function validateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs('validate', argv, [
    { name: 'json', kind: 'boolean' },
    { name: 'policy', kind: 'list' },
  ]);
  if (args.bool('help')) {
    io.stdout(VALIDATE_HELP);
    return ExitCode.ok;
  }
  const [file, ...extra] = args.positionals;
  if (file === undefined) throw usageError('validate', 'missing <file> (a path, or - for stdin)');
  if (extra.length > 0)
    throw usageError('validate', `unexpected argument ${JSON.stringify(extra[0])}: validate takes one file`);
  const policy = parsePolicyFlags('validate', args.list('policy'));
  const manifest = await readManifest(io, file);
  const results = manifest.pods.map((pod) =>
    validateManifestPod(pod, policy.allowZeroSleep === undefined ? {} : { allowZeroSleep: policy.allowZeroSleep }),
  );
  const invalid = results.filter((r) => !r.isValid);
  if (args.bool('json')) {
    io.stdout(`${JSON.stringify({ source: manifest.source, results, skipped: manifest.skipped }, null, 2)}\n`);
    return invalid.length > 0 ? ExitCode.invalid : ExitCode.ok;
  }
  const lines: string[] = [];
  for (const result of results) {
    const what = `document ${result.document} (line ${result.line}): ${result.kind} "${result.name}"${result.templatePath === '' ? '' : ', pod template'}`;
    if (result.isValid) {
      lines.push(`${manifest.source}: ${what}: valid`);
      continue;
    }
    const count = result.errors.length === 1 ? '1 error' : `${result.errors.length} errors`;
    lines.push(`${manifest.source}: ${what}: invalid (${count})`);
    lines.push(`  The ${result.kind} "${result.name}" is invalid:`);
    for (const error of result.errors) lines.push(`  * ${error.message}`);
  }
  for (const skip of manifest.skipped) {
    lines.push(
      `${manifest.source}: document ${skip.document} (line ${skip.line}): ${skip.kind} "${skip.name}": skipped, ${skip.reason}`,
    );
  }
  const total = results.length;
  lines.push(
    total === 0
      ? 'no pod or pod template found'
      : invalid.length === 0
        ? `${total === 1 ? '1 pod' : `${total} pods`} valid`
        : `${invalid.length} of ${total === 1 ? '1 pod' : `${total} pods`} invalid`,
  );
  io.stdout(`${lines.join('\n')}\n`);
  if (total === 0) return ExitCode.invalid;
  return invalid.length > 0 ? ExitCode.invalid : ExitCode.ok;
}
