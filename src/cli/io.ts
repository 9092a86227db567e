import { readFile } from 'node:fs/promises';

/**
 * Everything the CLI touches outside itself, so `main(argv, io)` runs in-process in tests and
 * against the real process in the bin (see {@link processIo}).
 */
export interface CliIo {
  /** Writes to standard output (text is written as given, newlines included). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (for `validate -`). */
  readonly readStdin: () => Promise<string>;
  /** Reads a UTF-8 file; rejects with a Node error (`code` ENOENT, EISDIR, …) when it cannot. */
  readonly readFile: (path: string) => Promise<string>;
  /**
   * Subscribes to an interrupt (SIGINT / Ctrl-C) for `run`; returns an unsubscribe function.
   * In tests, a fake that the test triggers.
   */
  readonly onInterrupt: (listener: () => void) => () => void;
  /** Whether stdout is a terminal (colour and live countdowns only then). */
  readonly isTTY: boolean;
}

/** The {@link CliIo} of the running process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString('utf8');
    },
    readFile: (path) => readFile(path, 'utf8'),
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      return () => void process.off('SIGINT', listener);
    },
    isTTY: process.stdout.isTTY === true,
  };
}
