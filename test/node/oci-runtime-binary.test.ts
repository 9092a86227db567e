// OciRuntime's `runtimeBinary` option (issue 6: runc, or crun chosen by option). crun cannot run
// containers on this project's machines (hybrid cgroups), so these tests check the routing of the
// OCI CLI calls to the chosen binary with a recording stand-in, and the missing-binary error.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { OciRuntime } from '../../src/node/oci-runtime.js';

const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'uid-bin' }, spec: { containers: [] } };
const signal = (): AbortSignal => new AbortController().signal;

describe('OciRuntime runtimeBinary', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kl-oci-bin-'));
    mkdirSync(join(dir, 'rootfs'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends every OCI CLI call to the chosen binary (e.g. crun)', async () => {
    const crun = join(dir, 'crun');
    const log = join(dir, 'calls.log');
    writeFileSync(crun, `#!/bin/sh\necho "$@" >> '${log}'\necho "fake crun refuses" >&2\nexit 1\n`);
    chmodSync(crun, 0o755);
    const runtime = new OciRuntime({ rootfs: join(dir, 'rootfs'), stateDir: join(dir, 'state'), runtimeBinary: crun });
    const started = runtime
      .startContainer(pod, { name: 'a', command: ['true'] }, { signal: signal() })
      .catch((e: unknown) => e);
    expect(await started).toMatchObject({ code: expect.stringMatching(/^ERR_(START_FAILED|RUNTIME_COMMAND_FAILED)$/) });
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(/^state k8s_a_web_default_uid-bin_0$/m); // the first OCI call, to the chosen binary
    await runtime.dispose?.();
  });

  it('a missing crun says how to install crun', async () => {
    const runtime = new OciRuntime({
      rootfs: join(dir, 'rootfs'),
      stateDir: join(dir, 'state'),
      runtimeBinary: join(dir, 'nowhere', 'crun'),
    });
    await expect(
      runtime.startContainer(pod, { name: 'a', command: ['true'] }, { signal: signal() }),
    ).rejects.toMatchObject({
      code: 'ERR_RUNTIME_BINARY_NOT_FOUND',
      message: expect.stringContaining('apt-get install -y crun'),
    });
  });
});
