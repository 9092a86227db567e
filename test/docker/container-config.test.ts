import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  containerCreateOptions,
  defaultPullPolicy,
  effectivePullPolicy,
  entrypointAndCmd,
  expandKubeVars,
  imageTag,
  sandboxCreateOptions,
} from '../../src/docker/container-config.js';
import { formatGoDuration } from '../../src/docker/images.js';

describe('imagePullPolicy default by tag (core/v1 SetDefaults_Container)', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['docker.io/library/nginx', 'Always'],
    ['localhost:5000/nginx', 'Always'], // the port is not a tag
    ['localhost:5000/nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/nginx:1.27', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('the runtime option overrides the container, which overrides the default', () => {
    expect(effectivePullPolicy({ name: 'a', image: 'nginx' }, undefined)).toBe('Always');
    expect(effectivePullPolicy({ name: 'a', image: 'nginx', imagePullPolicy: 'Never' } as never, undefined)).toBe(
      'Never',
    );
    expect(effectivePullPolicy({ name: 'a', image: 'nginx', imagePullPolicy: 'Never' } as never, 'IfNotPresent')).toBe(
      'IfNotPresent',
    );
  });

  it('imageTag reads the tag after the last slash only', () => {
    expect(imageTag('host:5000/a/b')).toBeUndefined();
    expect(imageTag('host:5000/a/b:v1')).toBe('v1');
  });
});

describe('command/args → Entrypoint/Cmd as the kubelet maps them', () => {
  const env = new Map([['NAME', 'web']]);
  it.each([
    ['neither: the image defaults', {}, {}],
    [
      'command only: Entrypoint (the image Cmd is dropped by the daemon)',
      { command: ['a', '$(NAME)'] },
      { Entrypoint: ['a', 'web'] },
    ],
    ['args only: Cmd after the image entrypoint', { args: ['-x', '$(NAME)'] }, { Cmd: ['-x', 'web'] }],
    ['both', { command: ['a'], args: ['b'] }, { Entrypoint: ['a'], Cmd: ['b'] }],
  ])('%s', (_, fields, expected) => {
    expect(entrypointAndCmd({ name: 'c', ...fields }, env)).toEqual(expected);
  });

  it('$(VAR) expansion: $$ escapes, unknown and unclosed references stay', () => {
    const vars = new Map([['A', 'x']]);
    expect(expandKubeVars('$(A)-$$(A)-$(B)-$A-$(A', vars)).toBe('x-$(A)-$(B)-$A-$(A');
  });

  fcTest.prop([fc.string()])('a string without "$" is never changed', (s) => {
    const input = s.replaceAll('$', '');
    expect(expandKubeVars(input, new Map([['A', 'x']]))).toBe(input);
  });
});

describe('create requests', () => {
  it('a container joins the sandbox network and IPC, with env in order (each expanded from the ones before)', () => {
    const create = containerCreateOptions(
      {
        name: 'web',
        image: 'nginx:1.27',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '$(A)2' },
        ],
        workingDir: '/srv',
      },
      { name: 'k8s_web_p_default_u_0_r', labels: { l: 'v' }, sandboxId: 'sb' },
    );
    expect(create).toEqual({
      name: 'k8s_web_p_default_u_0_r',
      Image: 'nginx:1.27',
      Env: ['A=1', 'B=12'],
      WorkingDir: '/srv',
      Labels: { l: 'v' },
      HostConfig: { NetworkMode: 'container:sb', IpcMode: 'container:sb' },
    });
  });

  it('a sandbox: its own hostname on a bridge, none under host networking (the daemon refuses it)', () => {
    const base = { name: 'k8s_POD_p', labels: {}, image: 'pause', command: undefined, hostname: 'my.pod' } as const;
    expect(sandboxCreateOptions({ ...base, network: 'bridge' })).toMatchObject({
      Hostname: 'my-pod',
      HostConfig: { NetworkMode: 'bridge', IpcMode: 'shareable' },
    });
    expect(sandboxCreateOptions({ ...base, network: 'host' })).not.toHaveProperty('Hostname');
    expect(sandboxCreateOptions({ ...base, network: 'host', command: ['sleep', '9'] })).toMatchObject({
      Entrypoint: ['sleep', '9'],
      Cmd: [],
    });
  });
});

describe('formatGoDuration (the kubelet Pulled message: time.Duration truncated to ms)', () => {
  it.each([
    [0, '0s'],
    [512.9, '512ms'],
    [1_500, '1.5s'],
    [15_981, '15.981s'],
    [62_003, '1m2.003s'],
    [3_600_000, '1h0m0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});
