/**
 * Pure generation of the OCI runtime `config.json` for one container. Starts from what
 * `runc spec` produces and changes what a Kubernetes node would: the process (argv, env, cwd,
 * no terminal), the capabilities (containerd's default set), the hostname (the pod name), a
 * writable rootfs, no network namespace (host networking, so the pod IP is 127.0.0.1) and no
 * cgroup resource limits (only the default device rule of `runc spec`).
 * @module
 */

/** The parts of an OCI runtime spec this library writes. Other fields follow the OCI runtime spec. */
export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: Record<'bounding' | 'effective' | 'permitted', string[]>;
    rlimits: Array<{ type: string; hard: number; soft: number }>;
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: Array<{ destination: string; type: string; source: string; options?: string[] }>;
  annotations: Record<string, string>;
  linux: {
    resources: { devices: Array<{ allow: boolean; access: string }> };
    namespaces: Array<{ type: string }>;
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

/** What {@link buildOciConfig} needs. */
export interface OciConfigInput {
  /** argv of the main process. */
  readonly args: readonly string[];
  /** `NAME=value` strings. */
  readonly env: readonly string[];
  /** Working directory inside the container. @default "/" */
  readonly cwd?: string | undefined;
  /** The container's hostname (Kubernetes uses the pod name). */
  readonly hostname: string;
  /** Absolute path of the root filesystem. */
  readonly rootfsPath: string;
  /** Extra annotations (e.g. `io.kubernetes.pod.name`). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** containerd's default capability set for a container (what Kubernetes pods get by default). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

const NO_EXEC = ['nosuid', 'noexec', 'nodev'];

/** Build the `config.json` object of one container's bundle. Pure: same input, same output. */
export function buildOciConfig(input: OciConfigInput): OciSpec {
  const caps = [...DEFAULT_CAPABILITIES];
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [...input.args],
      env: [...input.env],
      cwd: input.cwd === undefined || input.cwd === '' ? '/' : input.cwd,
      capabilities: { bounding: caps, effective: [...caps], permitted: [...caps] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: input.rootfsPath, readonly: false },
    hostname: input.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: [...NO_EXEC, 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: [...NO_EXEC] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: [...NO_EXEC, 'ro'] },
      { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: [...NO_EXEC, 'relatime', 'ro'] },
    ],
    annotations: { ...input.annotations },
    linux: {
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      // No "network" namespace: the container shares the host's network (pod IP 127.0.0.1).
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}
