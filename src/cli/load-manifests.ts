import { Composer, type Document, Parser } from 'yaml';
import { CliError, ExitCode, errorMessage } from './errors.js';
import { type CliIo, TOO_LARGE } from './io.js';
import {
  checkContainers,
  checkDepth,
  countYamlTokens,
  limitError,
  MANIFEST_LIMITS,
  type ManifestLimits,
  tooLarge,
} from './manifest-limits.js';

export { MANIFEST_LIMITS, type ManifestLimits } from './manifest-limits.js';

/** A pod found in a manifest: a Pod document, or the pod template of a workload. */
export interface ManifestPod {
  /** 1-based index of the document in the file (items of a `List` count as documents). */
  readonly document: number;
  /** 1-based line where the document starts. */
  readonly line: number;
  /** The document's kind as the API server names it in errors: `Pod`, `Deployment.apps`, `CronJob.batch`, … */
  readonly kind: string;
  /** The document's `metadata.name` (`<unnamed>` when absent). */
  readonly name: string;
  /** Where the pod sits in the document: `''` for a Pod, `spec.template`, `spec.jobTemplate.spec.template`. */
  readonly templatePath: string;
  /** The pod (for a workload: the template as a Pod named after the workload). May be invalid. */
  readonly pod: unknown;
}

/** A document that holds no pod (a Service, a ConfigMap, an empty document). */
export interface SkippedDocument {
  readonly document: number;
  readonly line: number;
  readonly kind: string;
  readonly name: string;
  readonly reason: string;
}

/** What a manifest file holds. */
export interface Manifest {
  /** The file name as given (`-` = stdin, shown as `<stdin>`). */
  readonly source: string;
  readonly pods: readonly ManifestPod[];
  readonly skipped: readonly SkippedDocument[];
}

/** `kind` → API group suffix and template path, for every workload whose pod template we read. */
const WORKLOADS: Readonly<Record<string, { readonly group: string; readonly path: readonly string[] }>> = {
  Pod: { group: '', path: [] },
  PodTemplate: { group: '', path: ['template'] },
  ReplicationController: { group: '', path: ['spec', 'template'] },
  Deployment: { group: 'apps', path: ['spec', 'template'] },
  ReplicaSet: { group: 'apps', path: ['spec', 'template'] },
  StatefulSet: { group: 'apps', path: ['spec', 'template'] },
  DaemonSet: { group: 'apps', path: ['spec', 'template'] },
  Job: { group: 'batch', path: ['spec', 'template'] },
  CronJob: { group: 'batch', path: ['spec', 'jobTemplate', 'spec', 'template'] },
};

/** Reads a manifest file (`-` = stdin); I/O and parse failures become a {@link CliError} (exit 2). */
export async function readManifest(
  io: CliIo,
  file: string,
  limits: ManifestLimits = MANIFEST_LIMITS,
): Promise<Manifest> {
  const source = file === '-' ? '<stdin>' : file;
  let text: string;
  try {
    text = file === '-' ? await io.readStdin(limits.maxBytes) : await io.readFile(file, limits.maxBytes);
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === TOO_LARGE) throw tooLarge(source, limits);
    throw new CliError(`cannot read ${source}: ${ioReason(error)}`, { exitCode: ExitCode.usage });
  }
  return parseManifest(text, source, limits);
}

/** Parses YAML or JSON text (several `---` documents allowed; `kind: List` expanded) into pods. */
export function parseManifest(text: string, source: string, limits: ManifestLimits = MANIFEST_LIMITS): Manifest {
  if (text.length > limits.maxBytes || Buffer.byteLength(text, 'utf8') > limits.maxBytes)
    throw tooLarge(source, limits);
  const lineOf = lineIndex(text);
  const pods: ManifestPod[] = [];
  const skipped: SkippedDocument[] = [];
  let index = 0;
  const add = (value: unknown, line: number): void => {
    if (value === null || value === undefined) return; // an empty document (a stray `---`)
    checkDepth(value, source, line, limits);
    const items = isRecord(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    if (index + items.length > limits.maxDocuments)
      throw limitError(
        source,
        `more than ${limits.maxDocuments} documents (List items count one by one); split the file`,
      );
    for (const item of items) classify(item, ++index, line, pods, skipped, source, limits);
  };
  const json = parseJson(text);
  if (json !== undefined) add(json.value, lineOf(json.offset));
  else {
    const tokens = countYamlTokens(text);
    if (tokens > limits.maxYamlTokens)
      throw limitError(
        source,
        `${tokens} lines and flow items, more than the ${limits.maxYamlTokens} the YAML reader takes; give it as JSON or split the file`,
      );
    const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
    let documents = 0;
    for (const doc of composer.compose(new Parser().parse(text), true)) {
      if (++documents > limits.maxDocuments)
        throw limitError(source, `more than ${limits.maxDocuments} documents; split the file`);
      const error = doc.errors[0];
      if (error !== undefined) {
        const offset = error.pos[0];
        const at = ` at line ${lineOf(offset)}, column ${offset - text.lastIndexOf('\n', offset - 1)}`;
        if (/Maximum call stack/.test(error.message))
          throw limitError(source, `nested more than ${limits.maxDepth} levels deep${at}`);
        throw new CliError(
          `${source}: invalid YAML${at}: ${errorMessage(error).replace(/ at line \d+, column \d+.*$/, '')}`,
          { exitCode: ExitCode.usage },
        );
      }
      const line = lineOf(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0);
      add(toJs(doc, source, line, limits), line);
    }
  }
  if (pods.length === 0 && skipped.length === 0) {
    throw new CliError(
      `${source}: no documents found (expected a Pod, or a Deployment/StatefulSet/DaemonSet/Job/CronJob)`,
      { exitCode: ExitCode.usage },
    );
  }
  return { source, pods, skipped };
}

/** The whole text as one JSON value (fast, and no nesting limit of its own), or undefined if it is not JSON. */
function parseJson(text: string): { value: unknown; offset: number } | undefined {
  const offset = text.search(/\S/);
  if (offset < 0 || (text[offset] !== '{' && text[offset] !== '[')) return undefined;
  try {
    return { value: JSON.parse(text), offset };
  } catch {
    return undefined; // not JSON after all (YAML flow, or several documents): the YAML reader says why
  }
}

function toJs(doc: Document.Parsed, source: string, line: number, limits: ManifestLimits): unknown {
  try {
    return doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message))
      throw limitError(
        source,
        `document at line ${line}: YAML aliases expand beyond ${limits.maxAliasCount} (an alias bomb?)`,
      );
    if (error instanceof RangeError) throw limitError(source, `document at line ${line}: nested too deeply`);
    throw new CliError(`${source}: document at line ${line}: ${errorMessage(error)}`, { exitCode: ExitCode.usage });
  }
}

function classify(
  value: unknown,
  document: number,
  line: number,
  pods: ManifestPod[],
  skipped: SkippedDocument[],
  source: string,
  limits: ManifestLimits,
): void {
  if (!isRecord(value)) {
    skipped.push({
      document,
      line,
      kind: '<none>',
      name: '<unnamed>',
      reason: 'not a Kubernetes object (expected a mapping with kind)',
    });
    return;
  }
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : '<unnamed>';
  const workload = WORKLOADS[kind];
  if (workload === undefined) {
    const reason = kind === '' ? 'no kind (expected kind: Pod, Deployment, …)' : `kind ${kind} holds no pod template`;
    skipped.push({ document, line, kind: kind === '' ? '<none>' : kind, name, reason });
    return;
  }
  const qualified = workload.group === '' ? kind : `${kind}.${workload.group}`;
  if (workload.path.length === 0) {
    checkContainers(value.spec, document, line, source, limits);
    pods.push({ document, line, kind: qualified, name, templatePath: '', pod: value });
    return;
  }
  let template: unknown = value;
  for (const key of workload.path) template = isRecord(template) ? template[key] : undefined;
  const templateMeta = isRecord(template) && isRecord(template.metadata) ? template.metadata : {};
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...templateMeta,
      name:
        typeof templateMeta.name === 'string' && templateMeta.name !== ''
          ? templateMeta.name
          : name === '<unnamed>'
            ? kind.toLowerCase()
            : name,
      ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    },
    spec: isRecord(template) ? template.spec : undefined,
  };
  checkContainers(pod.spec, document, line, source, limits);
  pods.push({ document, line, kind: qualified, name, templatePath: workload.path.join('.'), pod });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Maps a character offset to its 1-based line: the line starts are collected in one pass and
 * each lookup is a binary search, so numbering every document of a file stays O(n log n).
 */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

function ioReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return errorMessage(error);
}
