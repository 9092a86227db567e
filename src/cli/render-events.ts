import type { KubeEvent } from '../index.js';
import { aggregateEvents, formatEventAge } from '../pod/index.js';
import { formatSeconds } from './durations.js';

/**
 * The Message column of kubectl 1.35: a container event's `fieldPath` comes first,
 * `spec.containers{app}: Container started` (spec pod §7.3, k/k#133627).
 */
export function describeMessage(event: KubeEvent): string {
  const message = event.message.trim();
  const fieldPath = event.object.fieldPath;
  return fieldPath === undefined || fieldPath === '' ? message : `${fieldPath}: ${message}`;
}

/**
 * Events as `kubectl describe pod` lists them (Type, Reason, Age, From, Message): folded like
 * client-go's correlator (`aggregateEvents`, spec pod §7.2), Age as kubectl renders it at `now`
 * in virtual time (`formatEventAge`, e.g. `38s (x2 over 75s)`), From `kubelet`, and the 1.35
 * fieldPath prefix (spec pod §7.3). Then the handler failure details the kubelet only logs
 * (spec §7: events carry no hook output since 1.26). `title` replaces the simulation's heading
 * (`describe` uses kubectl's plain `Events:`).
 */
export function renderEvents(events: readonly KubeEvent[], now: number, title?: string): string {
  if (events.length === 0) return 'Events:  <none>\n';
  const rows = aggregateEvents(events).map((e) => [
    e.type,
    e.reason,
    formatEventAge(e, now),
    'kubelet',
    describeMessage(e),
  ]);
  const header = ['Type', 'Reason', 'Age', 'From', 'Message'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] as number) + 2))).join('')}`.trimEnd();
  const out = [
    title ?? `Events (as kubectl describe would show them at the end of the simulation, t=${formatSeconds(now)}):`,
    line(header),
    line(header.map((h) => '-'.repeat(h.length))),
    ...rows.map(line),
  ];
  const detailed = events.filter((e) => e.detail !== undefined && e.detail !== '');
  if (detailed.length > 0) {
    out.push('', 'Hook failure details (the kubelet logs these; the events above carry only the reason):');
    // Identical details (a restarted container failing the same way) are listed once, with every time.
    const groups = new Map<string, { times: string[]; text: string }>();
    for (const e of detailed) {
      const text = `${e.reason}  ${e.object.name}: ${e.detail}`;
      const group = groups.get(text) ?? { times: [], text };
      group.times.push(formatSeconds(e.timestamp));
      groups.set(text, group);
    }
    for (const g of groups.values()) out.push(`  t=${g.times.join(', ')}  ${g.text}`);
  }
  return `${out.join('\n')}\n`;
}
