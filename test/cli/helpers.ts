import { readFile } from 'node:fs/promises';
import { main } from '../../src/cli/cli.js';
import type { CliIo } from '../../src/cli/io.js';

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A {@link CliIo} that records output, serves `stdin` and can fire interrupts. */
export function testIo(options: { stdin?: string; files?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const listeners = new Set<(signal: string) => void>();
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => options.stdin ?? '',
    readFile: async (path) => {
      const inline = options.files?.[path];
      return inline ?? readFile(path, 'utf8');
    },
    onInterrupt: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    isTTY: false,
  };
  return {
    io,
    output: () => ({ stdout, stderr }),
    interrupt: (signal = 'SIGINT') => {
      for (const l of [...listeners]) l(signal);
    },
  };
}

/** Runs `kube-lifecycle <argv>` in-process. */
export async function cli(
  argv: readonly string[],
  options: { stdin?: string; files?: Record<string, string> } = {},
): Promise<CliRun> {
  const t = testIo(options);
  const code = await main(argv, t.io, { version: '0.0.0-test' });
  return { code, ...t.output() };
}
