/** Help texts of the `kube-lifecycle` command (kept next to each other so they stay consistent). */

/** `kube-lifecycle --help`. */
export const MAIN_HELP = `kube-lifecycle: Kubernetes container lifecycle hooks and termination grace periods, outside a cluster

Usage:
  kube-lifecycle <command> [flags]

Commands:
  validate <file|->   check Pod manifests (and workload pod templates) as the API server would
  simulate <file>     run a pod in virtual time: events table and timeline, instantly
  run <file>          run a pod for real (local processes, runc or Docker); Ctrl-C deletes it gracefully
  describe [POD]      what kubectl describe shows for a pod a 'run' holds (from another terminal)
  exec POD -- CMD...  run a command in a container of a pod a 'run' holds (from another terminal)

Flags:
  -h, --help          help for kube-lifecycle or a command
      --version       print the version

Exit codes: 0 ok, 1 invalid manifest or failed pod, 2 usage or input error (bad YAML, past a limit).
Docs: docs/cli.md
`;

/** `kube-lifecycle validate --help`. */
export const VALIDATE_HELP = `Check manifests as the API server validates lifecycle hooks and grace periods (spec §2).

Usage:
  kube-lifecycle validate <file|-> [flags]

Reads YAML or JSON, several documents separated by ---, or a kind: List. Pods are checked, and the
pod template of Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController
and PodTemplate (field paths then start with spec.template / spec.jobTemplate.spec.template).
Other documents are skipped.

Flags:
      --json                 print the results as JSON
      --policy KEY=VALUE     allowZeroSleep=false rejects sleep.seconds: 0 (pre-1.34 clusters)
  -h, --help                 this help

Examples:
  kube-lifecycle validate docs/examples/lifecycle-demo.yaml
  kubectl get pod web -o yaml | kube-lifecycle validate -

Exit codes: 0 all valid, 1 a pod is invalid, 2 usage, unreadable file or bad YAML.
`;

/** `kube-lifecycle simulate --help`. */
export const SIMULATE_HELP = `Run a pod in virtual time on the testing kit's fakes and show what happened.

Usage:
  kube-lifecycle simulate <file> [flags]

The pod runs on the pod worker (startPod): containers start in order (init containers and
sidecars first), exits restart with CrashLoopBackOff, then the pod is deleted (by default once
nothing is left to happen), and a kubectl-describe-style Events table, a chart per container, a
status timeline and the final pod status are printed.
Exec hooks succeed at once, httpGet hooks get 200 and main processes exit on their stop signal,
unless scripted. Same input, same output, byte for byte.

When:
      --delete-at TIME       delete the pod at TIME (default: once nothing is left to happen; none with --for)
      --grace SECONDS        delete with this gracePeriodSeconds (default: the pod's)
      --delete-again TIME:SECONDS   a repeat delete, e.g. 15s:1 (can only shorten, spec §4.1)

Scripting (repeatable; TIME/DURATION: 5, 5s, 500ms, 2m):
      --hook C.postStart=BEHAVIOUR, --hook C.preStop=BEHAVIOUR
                             exec hooks: exit:N, fail, hang, error:TEXT, stderr:TEXT, after:DURATION
                             httpGet hooks: status:N, redirect:PATH, refuse, hang, plain-http,
                             error:TEXT, after:DURATION      e.g. --hook web.preStop=exit:1,after:5s
      --http 'GET /path=BEHAVIOUR'   answer matching requests (path, host:port or URL)
      --stop C=BEHAVIOUR     ignore-sigterm (only SIGKILL ends it), exit-after:DURATION,
                             exit-code:N, reject:TEXT (the runtime's stop call fails)
      --crash C@TIME[,exit:N]  the main process exits by itself at TIME (default code 1)
      --init C=exit-after:DURATION[,exit:N]   when a (non-sidecar) init container completes
      --exit C=CODE@TIME     the main process exits with CODE at the virtual instant TIME
                             (comma list or repeat: --exit main=1@5s,main=0@30s)
      --probe C.PROBE=B      scripted probe results (PROBE: liveness, readiness, startup; B: pass,
                             fail, hang, fail@TIME, pass@TIME, hang@TIME, flap:N periods)
                             e.g. --probe web.liveness=fail@30s
      --for DURATION         how long the pod runs in virtual time (at most 24h); default: until
                             nothing is left to happen, at most 5m
      --scenario FILE        the same in YAML (keys: deleteAt, grace, deleteAgain, hooks, stops,
                             http, crashes, init, policy, pod, exits, probes, for); default: <file>.scenario.yaml
                             next to the manifest if it exists; --scenario none ignores it
      --policy KEY=VALUE     LifecyclePolicy option, e.g. httpStatus=probe,
                             postStartTimeoutSeconds=10, shorterGraceDuringTermination=interrupt,
                             unfinishedPreStopEvent=true, minimumStopGraceSeconds=2, allowZeroSleep=false

Output:
      --pod NAME             which pod when the file holds several
      --json                 the full trace: events, steps, runtime timeline, HTTP requests, status changes, pod status
      --ascii                draw the chart with ASCII characters only
  -h, --help                 this help

Examples:
  kube-lifecycle simulate docs/examples/lifecycle-demo.yaml
  kube-lifecycle simulate pod.yaml --delete-at 10 --grace 5 --hook web.preStop=hang
  kube-lifecycle simulate pod.yaml --stop web=ignore-sigterm --delete-again 15s:1
  kube-lifecycle simulate docs/examples/crashloop-poststart.yaml --for 35s
  kube-lifecycle simulate job.yaml --exit main=1@5s,main=0@20s
`;

/** `kube-lifecycle run --help`. */
export const RUN_HELP = `Run a pod for real and print its events live.

Usage:
  kube-lifecycle run <file> [flags]

Hands the pod to the pod worker (startPod), as the kubelet runs it: init containers one at a time,
sidecars, then the containers; hooks and probes; restarts per restartPolicy with CrashLoopBackOff
on the real clock (10s, doubling, at most 5m; --back-off changes it). Ctrl-C (or SIGTERM, SIGHUP)
deletes the pod gracefully (preStop, grace period, SIGKILL) with a countdown; a second one shortens
the grace to 1 second, like 'kubectl delete --now'; a third kills everything (best effort) and exits
at once. With restartPolicy Never or OnFailure the command ends when the pod Succeeded or Failed;
with Never a container that cannot be started at all fails the pod.

While it runs, the pod's status, events and container handles are kept in the state directory
(KUBE_LIFECYCLE_STATE_DIR, else $XDG_STATE_HOME/kube-lifecycle, else ~/.local/state/kube-lifecycle),
so 'kube-lifecycle describe POD' and 'kube-lifecycle exec POD -- CMD' work from another terminal.
A pod name runs once at a time; an entry whose run process is gone is stale and replaced.

Flags:
      --runtime process|oci|docker
                             process: each container is a local process (command + args, no image,
                             no isolation); oci: runc/crun containers (root; needs --rootfs);
                             docker: DockerRuntime on DOCKER_HOST or /var/run/docker.sock.
                             Default: docker when a Docker daemon answers there, else process
                             (oci when --rootfs is given)
      --rootfs DIR           root filesystem for --runtime oci
      --network bridge|host  docker: the pods' network (default bridge; host for a daemon without one)
      --sandbox-image IMAGE  docker: the sandbox image (default registry.k8s.io/pause:3.10)
      --sandbox-command CMD  docker: the sandbox's command, e.g. 'sleep 2147483647' for busybox
      --pull-policy POLICY   docker: Always, IfNotPresent or Never for every container
      --grace SECONDS        gracePeriodSeconds of the Ctrl-C delete (default: the pod's)
      --show-output          let the containers' stdout/stderr through (default: discarded)
      --pod NAME             which pod when the file holds several
      --back-off INITIAL[:MAX]   CrashLoopBackOff figures in seconds, e.g. 1:10 (default 10:300)
      --state-dir DIR        the state directory (default: see above)
      --policy KEY=VALUE     LifecyclePolicy option (see simulate --help)
  -h, --help                 this help

httpGet hooks go to the pod IP (127.0.0.1 for process and oci, the sandbox's for docker) unless
httpGet.host is set.

Examples:
  kube-lifecycle run docs/examples/sleep-prestop.yaml --runtime process
  kube-lifecycle run pod.yaml --runtime docker --show-output
  sudo kube-lifecycle run pod.yaml --runtime oci --rootfs ./rootfs

Exit codes: 0 the pod ran and ended clean (deleted, or Succeeded); 1 the pod failed (Failed, a
container exited non-zero by itself, did not start or could not be stopped; a third Ctrl-C);
2 usage, unreadable file, bad YAML, an input past the limits (docs/cli.md#limits), no daemon, the
pod already run by another 'run'.
`;

/** `kube-lifecycle describe --help`. */
export const DESCRIBE_HELP = `Show a pod that a 'kube-lifecycle run' holds, as 'kubectl describe pod' would.

Usage:
  kube-lifecycle describe [POD] [flags]

Reads the pod's entry in the state directory (written by 'run' after every change): status, IP,
containers (state, last state, ready, restart count), conditions and the Events table, folded and
aged as kubectl shows it. Without POD, every pod of the namespace. An entry whose run process is
gone is reported as stale, with the status it last wrote.

Flags:
  -n, --namespace NS         the pod's namespace (default: default)
      --state-dir DIR        the state directory (default: as run)
  -h, --help                 this help

Examples:
  kube-lifecycle describe lifecycle-demo

Exit codes: 0 shown; 1 no such pod, or its entry is stale; 2 usage.
`;

/** `kube-lifecycle exec --help`. */
export const EXEC_HELP = `Run a command in a container of a pod that a 'kube-lifecycle run' holds.

Usage:
  kube-lifecycle exec POD [-c CONTAINER] -- COMMAND [ARG...]

The 'run' process execs through the runtime that holds the container (docker exec, runc exec, or a
local process in the container's environment), reached over the pod's exec.sock in the state
directory. Output is collected, then printed (capped like hook output); no stdin, no TTY.

Flags:
  -c, --container NAME       the container (default: the pod's first container, as kubectl)
  -n, --namespace NS         the pod's namespace (default: default)
      --state-dir DIR        the state directory (default: as run)
  -h, --help                 this help

Examples:
  kube-lifecycle exec lifecycle-demo -- cat /usr/share/message

Exit codes: the command's own; 1 no such pod, a stale entry, the container is not running or the
exec failed; 2 usage.
`;
