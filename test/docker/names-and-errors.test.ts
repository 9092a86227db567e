import { describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/docker/docker-runtime.js';
import { DockerRuntimeError, daemonError } from '../../src/docker/errors.js';
import { loadDockerode } from '../../src/docker/load-dockerode.js';
import { containerLabels, kubeletContainerName } from '../../src/docker/names.js';
import { LifecycleError } from '../../src/errors.js';

describe('kubelet-style names and labels', () => {
  const pod = { name: 'lifecycle-demo', namespace: 'default', uid: '5f1c-9a' };

  it("dockershim's form with its conflict suffix: k8s_<container>_<pod>_<namespace>_<uid>_<attempt>_<run>", () => {
    expect(kubeletContainerName('web', pod, 0, 'a1b2c3d4')).toBe('k8s_web_lifecycle-demo_default_5f1c-9a_0_a1b2c3d4');
    expect(kubeletContainerName('POD', pod, 2, 'a1b2c3d4')).toBe('k8s_POD_lifecycle-demo_default_5f1c-9a_2_a1b2c3d4');
  });

  it('characters Docker refuses, and the "_" separator, are replaced; empty fields are never empty', () => {
    expect(kubeletContainerName('web', { name: 'a.b', namespace: 'ns', uid: 'x_y/z' }, 0, 'r')).toBe(
      'k8s_web_a.b_ns_x-y-z_0_r',
    );
    expect(kubeletContainerName('web', { name: '', namespace: 'default', uid: '' }, 0, 'r')).toBe(
      'k8s_web_-_default_-_0_r',
    );
  });

  it('labels: io.kubernetes.* as dockershim, plus the adapter-owned ones a sweep looks for', () => {
    const owner = { runId: 'r1', pid: 42, host: 'h' };
    expect(containerLabels(pod, 'web', owner, 'sb1')).toEqual({
      'io.kubernetes.pod.name': 'lifecycle-demo',
      'io.kubernetes.pod.namespace': 'default',
      'io.kubernetes.pod.uid': '5f1c-9a',
      'io.kubernetes.container.name': 'web',
      'io.kubernetes.docker.type': 'container',
      'io.kubernetes.sandbox.id': 'sb1',
      'dev.kube-lifecycle.managed': 'true',
      'dev.kube-lifecycle.run': 'r1',
      'dev.kube-lifecycle.owner-pid': '42',
      'dev.kube-lifecycle.owner-host': 'h',
    });
    expect(containerLabels(pod, 'POD', owner)['io.kubernetes.docker.type']).toBe('podsandbox');
  });
});

describe('DockerRuntimeError', () => {
  const daemon = 'unix:///var/run/docker.sock';

  it('is a LifecycleError with a stable code', () => {
    const error = new DockerRuntimeError('ERR_DOCKER_API', 'x');
    expect(error).toBeInstanceOf(LifecycleError);
    expect(error.name).toBe('DockerRuntimeError');
  });

  it('EACCES on the socket: ERR_DOCKER_PERMISSION_DENIED, naming the docker group and rootless sockets', () => {
    const error = daemonError(
      Object.assign(new Error('connect EACCES /var/run/docker.sock'), {
        code: 'EACCES',
        address: '/var/run/docker.sock',
      }),
      'starting container "web"',
      daemon,
    );
    expect(error.code).toBe('ERR_DOCKER_PERMISSION_DENIED');
    expect(error.message).toContain("'docker' group");
    expect(error.message).toContain('podman.sock');
    expect(error.cause).toEqual({
      code: 'EACCES',
      address: '/var/run/docker.sock',
      message: 'connect EACCES /var/run/docker.sock',
    });
  });

  it.each(['ENOENT', 'ECONNREFUSED'])('%s: ERR_DOCKER_UNREACHABLE', (code) => {
    const error = daemonError(Object.assign(new Error(`connect ${code}`), { code }), 'listing', daemon);
    expect(error.code).toBe('ERR_DOCKER_UNREACHABLE');
    expect(error.message).toMatch(/^listing: no Docker daemon answers at unix:\/\/\/var\/run\/docker.sock/);
  });

  it("the daemon's JSON message is kept, the HTTP client's wording and stack are not", () => {
    const raw = Object.assign(new Error('(HTTP code 500) server error - boom'), {
      statusCode: 500,
      json: { message: 'boom' },
    });
    const error = daemonError(raw, 'creating container "web"', daemon);
    expect(error.message).toBe(`creating container "web": the Docker daemon at ${daemon} answered HTTP 500: boom`);
    expect(error.cause).toEqual({ statusCode: 500, message: 'boom' });
    expect(error.cause).not.toBeInstanceOf(Error);
  });

  it('404 on a container: ERR_CONTAINER_NOT_FOUND', () => {
    const raw = Object.assign(new Error('no such container'), {
      statusCode: 404,
      json: { message: 'No such container: x' },
    });
    expect(daemonError(raw, 'waiting', daemon, { containerId: 'x' }).code).toBe('ERR_CONTAINER_NOT_FOUND');
  });
});

describe('dockerode is an optional peer dependency', () => {
  const missing = (): never => {
    throw Object.assign(new Error("Cannot find module 'dockerode'"), { code: 'MODULE_NOT_FOUND' });
  };

  it('missing: ERR_DOCKERODE_MISSING saying npm i dockerode', () => {
    expect(() => loadDockerode(missing)).toThrow(
      expect.objectContaining({ code: 'ERR_DOCKERODE_MISSING', message: expect.stringContaining('npm i dockerode') }),
    );
    expect(() => new DockerRuntime({}, { require: missing })).toThrow(DockerRuntimeError);
  });

  it('a dockerode instance given as the docker option is used as is (no module load)', () => {
    const instance = { getContainer: () => ({}), createContainer: async () => ({}), modem: { socketPath: '/x.sock' } };
    expect(() => new DockerRuntime({ docker: instance }, { require: missing })).not.toThrow();
  });
});

describe('waitContainer reports OOMKilled when Docker says so (fake daemon)', () => {
  it.each([
    [true, { exitCode: 137, reason: 'OOMKilled' }],
    [false, { exitCode: 137 }],
  ])('OOMKilled %s', async (oomKilled, expected) => {
    const container = {
      wait: async () => ({ StatusCode: 137 }),
      inspect: async () => ({ State: { OOMKilled: oomKilled } }),
    };
    const docker = { getContainer: () => container, createContainer: async () => ({}), modem: {} };
    const runtime = new DockerRuntime({ docker });
    const ref = { id: 'c1', name: 'web', podName: 'p', podNamespace: 'default', podUID: 'u' };
    expect(await runtime.waitContainer(ref, { signal: new AbortController().signal })).toEqual(expected);
  });
});
