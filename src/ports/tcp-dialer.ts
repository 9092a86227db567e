/**
 * The TCP port for `tcpSocket` probes (DESIGN §11, pinned shape).
 *
 * @module
 */

/**
 * Opens a TCP connection to `host:port` and closes it again, as the kubelet's tcpSocket prober
 * (`pkg/probe/tcp`) does with `net.DialTimeout`: resolve once the connection is established (even
 * if the peer closes it at once), reject when it cannot be. The rejection's message is used as
 * the probe output, so give Go's text when you can, e.g.
 * `dial tcp 10.0.0.7:8080: connect: connection refused`.
 *
 * The core bounds each call by the probe's `timeoutSeconds` on the injected clock and aborts
 * `signal` when that runs out (the probe then fails with `dial tcp <host:port>: i/o timeout`) or
 * when the probe's worker stops. Implementations must stop dialling when `signal` aborts.
 *
 * `NodeTcpDialer` in `kube-lifecycle/node` implements it with `node:net`; `FakeTcpDialer` in
 * `kube-lifecycle/testing` is scriptable on a virtual clock.
 */
export interface TcpDialer {
  connect(host: string, port: number, options: { signal: AbortSignal }): Promise<void>;
}
