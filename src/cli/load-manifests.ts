import { parseAllDocuments } from 'yaml';
import { CliError, ExitCode, errorMessage } from './errors.js';
import type { CliIo } from './io.js';

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
export async function readManifest(io: CliIo, file: string): Promise<Manifest> {
  const source = file === '-' ? '<stdin>' : file;
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    throw new CliError(`cannot read ${source}: ${ioReason(error)}`, { exitCode: ExitCode.usage });
  }
  return parseManifest(text, source);
}

/** Parses YAML or JSON text (several `---` documents allowed; `kind: List` expanded) into pods. */
export function parseManifest(text: string, source: string): Manifest {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const lineOf = lineIndex(text);
  const pods: ManifestPod[] = [];
  const skipped: SkippedDocument[] = [];
  let index = 0;
  for (const doc of list) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const offset = error.pos[0];
      const at = ` at line ${lineOf(offset)}, column ${offset - text.lastIndexOf('\n', offset - 1)}`;
      throw new CliError(
        `${source}: invalid YAML${at}: ${errorMessage(error).replace(/ at line \d+, column \d+.*$/, '')}`,
        { exitCode: ExitCode.usage },
      );
    }
    const line = lineOf(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue; // an empty document (a stray `---`)
    const items = isRecord(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) classify(item, ++index, line, pods, skipped);
  }
  if (pods.length === 0 && skipped.length === 0) {
    throw new CliError(
      `${source}: no documents found (expected a Pod, or a Deployment/StatefulSet/DaemonSet/Job/CronJob)`,
      { exitCode: ExitCode.usage },
    );
  }
  return { source, pods, skipped };
}

function classify(
  value: unknown,
  document: number,
  line: number,
  pods: ManifestPod[],
  skipped: SkippedDocument[],
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
  pods.push({ document, line, kind: qualified, name, templatePath: workload.path.join('.'), pod });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let line = 0;
    while (line + 1 < starts.length && (starts[line + 1] as number) <= offset) line++;
    return line + 1;
  };
}

function ioReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return errorMessage(error);
}
