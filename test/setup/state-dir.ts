/**
 * `kube-lifecycle run` keeps a per-user state directory (src/cli/state-dir.ts). Tests never write
 * to the user's ~/.local/state: each test file gets its own directory, inherited by the CLIs it
 * spawns, and removed afterwards. A file may still set KUBE_LIFECYCLE_STATE_DIR itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'kl-state-'));
process.env['KUBE_LIFECYCLE_STATE_DIR'] = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
