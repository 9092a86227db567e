import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * Everything the CLI touches outside itself, so `main(argv, io)` runs in-process in tests and
 * against the real process in the bin (see {@link processIo}).
 */
export interface CliIo {
  /** Writes to standard output (text is written as given, newlines included). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /**
   * Reads all of standard input (for `validate -`); past `maxBytes` it stops reading and rejects
   * with an error whose `code` is `ERR_KL_INPUT_TOO_LARGE`.
   */
  readonly readStdin: (maxBytes?: number) => Promise<string>;
  /**
   * Reads a UTF-8 file; rejects with a Node error (`code` ENOENT, EISDIR, …) when it cannot, and
   * with `code` `ERR_KL_INPUT_TOO_LARGE` past `maxBytes` (read no further: `/dev/zero` is safe).
   */
  readonly readFile: (path: string, maxBytes?: number) => Promise<string>;
  /**
   * Subscribes to an interrupt for `run` (SIGINT / Ctrl-C, SIGTERM, SIGHUP); returns an
   * unsubscribe function. The listener gets the signal's name. In tests, a fake that the test
   * triggers.
   */
  readonly onInterrupt: (listener: (signal: string) => void) => () => void;
  /** Whether stdout is a terminal (colour and live countdowns only then). */
  readonly isTTY: boolean;
  /**
   * Writes a terminal control sequence (the status line's `\r\x1b[K`) to stdout as it is; every
   * other text the CLI prints has its control characters escaped (see {@link escapeControls}).
   * Absent: control sequences are dropped.
   */
  readonly control?: (sequence: string) => void;
}

/** The code of the error `readFile`/`readStdin` reject with past their byte limit. */
export const TOO_LARGE = 'ERR_KL_INPUT_TOO_LARGE';

/** Reads a stream up to `maxBytes` (then destroys it and rejects with code {@link TOO_LARGE}). */
export async function readBounded(stream: Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > maxBytes) throw Object.assign(new Error(`input larger than ${maxBytes} bytes`), { code: TOO_LARGE });
      chunks.push(buffer);
    }
  } finally {
    if (!stream.readableEnded) stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Escapes what a terminal would interpret in text that may come from a manifest: C0 controls
 * other than newline and tab, DEL, C1 controls and the bidirectional overrides become `\uXXXX`
 * (which also keeps JSON output valid and equal: such characters only occur inside strings).
 */
export function escapeControls(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isControl(text.charCodeAt(i))) continue;
    out += `${text.slice(from, i)}\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

function isControl(c: number): boolean {
  if (c < 0x20) return c !== 0x0a && c !== 0x09;
  if (c >= 0x7f && c <= 0x9f) return true;
  return c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The {@link CliIo} of the running process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: (maxBytes) => readBounded(process.stdin, maxBytes),
    readFile: (path, maxBytes) => readBounded(createReadStream(path), maxBytes),
    onInterrupt: (listener) => {
      const handlers = SIGNALS.map((signal) => [signal, () => listener(signal)] as const);
      for (const [signal, handler] of handlers) process.on(signal, handler);
      return () => {
        for (const [signal, handler] of handlers) process.off(signal, handler);
      };
    },
    isTTY: process.stdout.isTTY === true,
    control: (sequence) => void process.stdout.write(sequence),
  };
}
