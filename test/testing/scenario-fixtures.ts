import type { Pod } from '../../src/api/types.js';

/** init `migrate`, sidecar `proxy` (httpGet preStop), `web` (exec hooks), `api` (httpGet preStop). */
export const shop: Pod = {
  metadata: { name: 'shop', namespace: 'default', uid: 'u-1' },
  spec: {
    terminationGracePeriodSeconds: 30,
    initContainers: [
      { name: 'migrate' },
      { name: 'proxy', restartPolicy: 'Always', lifecycle: { preStop: { httpGet: { port: 8080, path: '/quit' } } } },
    ],
    containers: [
      {
        name: 'web',
        lifecycle: { postStart: { exec: { command: ['/bin/warm'] } }, preStop: { exec: { command: ['/bin/drain'] } } },
      },
      { name: 'api', lifecycle: { preStop: { httpGet: { port: 8080, path: '/drain', scheme: 'HTTPS' } } } },
    ],
  },
  status: { podIP: '10.0.0.7' },
};
