/**
 * The test image: no registry is reachable, so it is built with `docker import` (the
 * create-image endpoint, fromSrc=-) from a busybox-static root filesystem.
 */
import { execFileSync } from 'node:child_process';
import type Docker from 'dockerode';
import { buildBusyboxRootfs, findStaticBusybox, removeRootfs } from '../../node/helpers/busybox-rootfs.js';

/** A tagged (not `:latest`) image, so the API default pull policy is IfNotPresent. */
export const TEST_IMAGE = 'kube-lifecycle-test/busybox:static';

/** A sandbox command for the busybox image (it has no `/pause`). */
export const TEST_SANDBOX_COMMAND = ['sleep', '2147483647'];

/** Import {@link TEST_IMAGE} into the daemon unless it is there already. */
export async function ensureTestImage(docker: Docker): Promise<void> {
  try {
    await docker.getImage(TEST_IMAGE).inspect();
    return;
  } catch {
    // absent: import it
  }
  const busybox = findStaticBusybox();
  if (busybox === undefined)
    throw new Error('no static busybox to build the test image (apt-get install -y busybox-static)');
  const root = buildBusyboxRootfs(busybox);
  try {
    const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
    const [repo, tag] = TEST_IMAGE.split(':') as [string, string];
    const stream = (await docker.importImage(tar as unknown as NodeJS.ReadableStream, {
      repo,
      tag,
    })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: unknown) => (error ? reject(error) : resolve())),
    );
  } finally {
    removeRootfs(root);
  }
}

/** The stdout of a container (running or stopped), demultiplexed from the logs endpoint. */
export async function containerStdout(docker: Docker, id: string): Promise<string> {
  const raw = (await docker.getContainer(id).logs({ stdout: true, stderr: false, follow: false })) as unknown as Buffer;
  const out: Buffer[] = [];
  for (let at = 0; at + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(at + 4);
    if (raw[at] === 1) out.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(out).toString('utf8');
}
