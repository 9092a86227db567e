/**
 * The kubelet's `Killing` messages for probe-driven kills (spec pod §3.2 rules 2–3, §3.4 rule 3).
 *
 * @module
 */

import type { ContainerKind } from './restart-decision.js';

/** Which probe failed. */
export type KillingProbe = 'liveness' | 'startup';

/**
 * `Container app failed liveness probe, will be restarted` (regular container that will restart),
 * `Container app failed startup probe` (will not: e.g. a Never pod), or for sidecars, which always
 * restart but get no suffix, `Init container side failed liveness probe`.
 *
 * @example probeKillMessage({ kind: 'regular', name: 'web', probe: 'liveness', restartable: true })
 * // 'Container web failed liveness probe, will be restarted'
 */
export function probeKillMessage(input: {
  readonly kind: ContainerKind;
  readonly name: string;
  readonly probe: KillingProbe;
  readonly restartable: boolean;
}): string {
  if (input.kind !== 'regular') return `Init container ${input.name} failed ${input.probe} probe`;
  const base = `Container ${input.name} failed ${input.probe} probe`;
  return input.restartable ? `${base}, will be restarted` : base;
}
