export type { DeletionState, GracefulDeleteInput, GracefulDeleteResult } from './graceful-delete.js';
export { gracefulDelete } from './graceful-delete.js';
export type { KillReason, EffectiveGraceInput, EffectiveGrace, KillPlanInput, KillPlan } from './kill-grace.js';
export {
  KILL_REASONS,
  MINIMUM_GRACE_PERIOD_SECONDS,
  effectiveGracePeriod,
  containerBaseGrace,
  chargedSeconds,
  stopTimeoutSeconds,
  killPlan,
} from './kill-grace.js';
