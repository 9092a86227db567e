/**
 * Podman's Docker-compatible socket, when Podman is present: `KL_PODMAN_SOCKET`, the rootless
 * socket `$XDG_RUNTIME_DIR/podman/podman.sock` or the rootful `/run/podman/podman.sock`, if one
 * answers (`systemctl --user start podman.socket`, or `podman system service --time=0`).
 */
import { existsSync } from 'node:fs';
import Docker from 'dockerode';
import type { TestDaemon } from './daemon.js';

export async function findPodman(): Promise<TestDaemon | undefined> {
  const runtimeDir = process.env['XDG_RUNTIME_DIR'];
  const candidates = [
    process.env['KL_PODMAN_SOCKET'],
    runtimeDir === undefined ? undefined : `${runtimeDir}/podman/podman.sock`,
    '/run/podman/podman.sock',
  ].filter((p): p is string => p !== undefined && p !== '');
  for (const socketPath of candidates) {
    if (!existsSync(socketPath)) continue;
    const docker = new Docker({ socketPath, timeout: 5_000 });
    try {
      await docker.ping();
      return { socketPath, docker: new Docker({ socketPath }), isPrivate: false, stop: async () => undefined };
    } catch {
      // not answering
    }
  }
  console.warn(
    `skipping the DockerRuntime tests on Podman: no Podman socket answers (tried ${candidates.join(', ')}); ` +
      'start one with `podman system service --time=0 unix:///run/podman/podman.sock` or set KL_PODMAN_SOCKET',
  );
  return undefined;
}
