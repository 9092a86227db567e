export type {
  DeletionState,
  DeletionStateInput,
  GracefulDeleteInput,
  GracefulDeleteResult,
} from './graceful-delete.js';
export { gracefulDelete } from './graceful-delete.js';
export type { EffectiveGrace, EffectiveGraceInput, KillPlan, KillPlanInput, KillReason } from './kill-grace.js';
export {
  chargedSeconds,
  containerBaseGrace,
  effectiveGracePeriod,
  KILL_REASONS,
  killPlan,
  MINIMUM_GRACE_PERIOD_SECONDS,
  stopTimeoutSeconds,
} from './kill-grace.js';
