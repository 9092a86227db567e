import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's `busybox-static` puts the statically linked binary. */
const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];

/** Is the installed busybox statically linked (usable inside an otherwise empty rootfs)? */
export function findStaticBusybox(): string | undefined {
  for (const path of BUSYBOX_CANDIDATES) {
    if (!existsSync(path)) continue;
    const description = (() => {
      try {
        return execFileSync('file', ['-L', path], { encoding: 'utf8' });
      } catch {
        return 'statically linked (file(1) not available)';
      }
    })();
    if (/statically linked|static-pie/.test(description)) return path;
  }
  return undefined;
}

/**
 * Build a minimal root filesystem in a fresh temp dir: `/bin/busybox` (static) plus a symlink for
 * every applet, and empty `/tmp`, `/proc`, `/sys`, `/dev`, `/etc`, `/root`. Remove it with `rmSync`.
 */
export function buildBusyboxRootfs(busybox: string): string {
  const root = mkdtempSync(join(tmpdir(), 'kl-rootfs-'));
  for (const dir of ['bin', 'tmp', 'proc', 'sys', 'dev', 'etc', 'root']) mkdirSync(join(root, dir));
  chmodSync(join(root, 'tmp'), 0o1777);
  copyFileSync(busybox, join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a !== '' && a !== 'busybox');
  for (const applet of applets) symlinkSync('busybox', join(root, 'bin', applet));
  return root;
}

/** Remove a rootfs made by {@link buildBusyboxRootfs}. */
export function removeRootfs(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
