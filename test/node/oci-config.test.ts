import { describe, expect, it } from 'vitest';
import { buildOciConfig, DEFAULT_CAPABILITIES } from '../../src/node/oci-config.js';

describe('buildOciConfig', () => {
  const config = buildOciConfig({
    args: ['sh', '-c', 'echo hi'],
    env: ['PATH=/bin', 'A=1'],
    hostname: 'web',
    rootfsPath: '/srv/rootfs',
    annotations: { 'io.kubernetes.pod.name': 'web' },
  });

  it('sets the process from the container, without a terminal, cwd "/" by default', () => {
    expect(config.process).toMatchObject({
      terminal: false,
      args: ['sh', '-c', 'echo hi'],
      env: ['PATH=/bin', 'A=1'],
      cwd: '/',
      user: { uid: 0, gid: 0 },
    });
    expect(buildOciConfig({ args: ['x'], env: [], hostname: 'h', rootfsPath: '/r', cwd: '/app' }).process.cwd).toBe(
      '/app',
    );
  });

  it('uses host networking (no network namespace), a writable rootfs and no resource limits', () => {
    expect(config.linux.namespaces.map((n) => n.type)).toEqual(['pid', 'ipc', 'uts', 'mount']);
    expect(config.root).toEqual({ path: '/srv/rootfs', readonly: false });
    expect(Object.keys(config.linux.resources)).toEqual(['devices']);
    expect(config.hostname).toBe('web');
  });

  it("grants containerd's default capabilities and keeps the annotations", () => {
    expect(config.process.capabilities.bounding).toEqual(DEFAULT_CAPABILITIES);
    expect(config.annotations).toEqual({ 'io.kubernetes.pod.name': 'web' });
  });

  it('is pure: same input, same output, no shared arrays', () => {
    const input = { args: ['a'], env: [], hostname: 'h', rootfsPath: '/r' };
    const a = buildOciConfig(input);
    const b = buildOciConfig(input);
    expect(a).toEqual(b);
    a.process.capabilities.bounding.push('CAP_SYS_ADMIN');
    expect(buildOciConfig(input).process.capabilities.bounding).toEqual(DEFAULT_CAPABILITIES);
  });
});
