import { execFileSync } from 'node:child_process';
import { findStaticBusybox } from './busybox-rootfs.js';

/** Whether the OciRuntime tests can run here, and why not. */
export type OciPrerequisites =
  | { readonly isAvailable: true; readonly busybox: string; readonly runcVersion: string }
  | { readonly isAvailable: false; readonly reason: string };

/** Root, a working `runc` and a static busybox (Debian: `apt-get install -y runc busybox-static`). */
export function checkOciPrerequisites(): OciPrerequisites {
  if (process.platform !== 'linux') return { isAvailable: false, reason: 'OCI containers need Linux' };
  if (process.getuid?.() !== 0) return { isAvailable: false, reason: 'runc needs root (run the tests as root)' };
  let runcVersion: string;
  try {
    runcVersion = execFileSync('runc', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  } catch {
    return { isAvailable: false, reason: 'runc is not installed (apt-get install -y runc)' };
  }
  const busybox = findStaticBusybox();
  if (busybox === undefined)
    return { isAvailable: false, reason: 'no static busybox (apt-get install -y busybox-static)' };
  return { isAvailable: true, busybox, runcVersion };
}

/**
 * Skip reason for a suite that needs runc, or undefined when it can run. In CI (`CI` set) a missing
 * prerequisite is an error: these tests must never pass vacuously there.
 */
export function ociSkipReason(prerequisites: OciPrerequisites): string | undefined {
  if (prerequisites.isAvailable) return undefined;
  if (process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false') {
    throw new Error(`OciRuntime tests cannot run in CI: ${prerequisites.reason}`);
  }
  console.warn(`skipping OciRuntime tests: ${prerequisites.reason}`);
  return prerequisites.reason;
}
