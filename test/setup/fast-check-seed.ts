import fc from 'fast-check';

// Fixed seed in CI (override with FC_SEED=<n> to replay a failure locally); random otherwise.
// fast-check prints the seed and counterexample path of every failure, so any run replays.
const fromEnv = process.env['FC_SEED'];
const seed = fromEnv !== undefined ? Number(fromEnv) : process.env['CI'] ? 20261128 : undefined;
fc.configureGlobal({
  ...(seed !== undefined ? { seed } : {}),
  numRuns: process.env['FC_NUM_RUNS'] ? Number(process.env['FC_NUM_RUNS']) : 100,
});
