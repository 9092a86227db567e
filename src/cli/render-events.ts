import type { KubeEvent } from '../index.js';
import { formatSeconds, humanDuration } from './durations.js';

/**
 * Events as `kubectl describe pod` lists them (Type, Reason, Age, From, Message), with Age
 * measured at `nowMs` in virtual time, followed by the handler failure details the kubelet only
 * logs (spec §7: events carry no hook output since 1.26).
 */
export function renderEvents(events: readonly KubeEvent[], nowMs: number): string {
  if (events.length === 0) return 'Events:  <none>\n';
  const rows = events.map((e) => [e.type, e.reason, humanDuration(nowMs - e.timestamp), 'kubelet', e.message]);
  const header = ['Type', 'Reason', 'Age', 'From', 'Message'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] as number) + 2))).join('')}`.trimEnd();
  const out = [
    `Events (Age as kubectl would show it at the end of the simulation, t=${formatSeconds(nowMs)}):`,
    line(header),
    line(header.map((h) => '-'.repeat(h.length))),
    ...rows.map(line),
  ];
  const detailed = events.filter((e) => e.detail !== undefined && e.detail !== '');
  if (detailed.length > 0) {
    out.push('', 'Hook failure details (the kubelet logs these; the events above carry only the reason):');
    for (const e of detailed) out.push(`  t=${formatSeconds(e.timestamp)}  ${e.reason}  ${e.object.name}: ${e.detail}`);
  }
  return `${out.join('\n')}\n`;
}
