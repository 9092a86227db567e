import { describe, expect, it } from 'vitest';
import { containerArgv, containerEnv, defaultContainerId, expandKubeVars } from '../../src/node/container-process.js';
import { NodeAdapterError } from '../../src/node/errors.js';
import { signalNumber } from '../../src/node/signals.js';

describe('expandKubeVars', () => {
  const vars = new Map([
    ['A', 'x'],
    ['B', 'y'],
  ]);
  it.each([
    ['$(A)-$(B)', 'x-y'],
    ['$(MISSING)', '$(MISSING)'],
    ['$$(A)', '$(A)'],
    ['$$', '$'],
    ['$A $(A', '$A $(A'],
    ['cost: 5$', 'cost: 5$'],
  ])('%s → %s', (input, expected) => expect(expandKubeVars(input, vars)).toBe(expected));
});

describe('container argv and env', () => {
  it('expands env in order and argv from the full env', () => {
    const env = containerEnv(
      {
        name: 'c',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '$(A)2$(C)' },
          { name: 'C', value: '3' },
        ],
      },
      { PATH: '/bin' },
    );
    expect([...env]).toEqual([
      ['PATH', '/bin'],
      ['A', '1'],
      ['B', '12$(C)'],
      ['C', '3'],
    ]);
    expect(containerArgv({ name: 'c', command: ['echo'], args: ['$(C)'] }, env)).toEqual(['echo', '3']);
    expect(containerArgv({ name: 'c', args: ['echo', 'x'] }, env)).toEqual(['echo', 'x']);
  });

  it('a container without command or args is an ERR_NO_COMMAND', () => {
    expect(() => containerArgv({ name: 'c' }, new Map())).toThrow(NodeAdapterError);
  });

  it('default ids follow the dockershim form with only OCI-safe characters', () => {
    expect(defaultContainerId({ metadata: { name: 'web', namespace: 'ns', uid: 'u/1' } }, { name: 'app' }, 2)).toBe(
      'k8s_app_web_ns_u-1_2',
    );
  });
});

describe('signalNumber', () => {
  it.each([
    ['SIGTERM', 15],
    ['TERM', 15],
    ['sigquit', 3],
    ['SIGKILL', 9],
    ['SIGCLD', 17],
    ['SIGRTMIN', 34],
    ['SIGRTMIN+3', 37],
    ['SIGRTMAX-1', 63],
    ['SIGRTMAX', 64],
    ['10', 10],
  ])('%s → %i', (name, n) => expect(signalNumber(name)).toBe(n));

  it.each(['SIGBOGUS', 'SIGRTMIN-1', 'SIGRTMAX+1', '0', '65', ''])('rejects %j', (name) => {
    expect(() => signalNumber(name)).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_SIGNAL' }));
  });
});
