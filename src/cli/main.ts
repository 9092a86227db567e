#!/usr/bin/env node
/**
 * The `kube-lifecycle` bin: runs {@link main} on the real process. Everything else lives in
 * `cli.ts` and the command files, which tests call in-process.
 * @module
 */
import { readFileSync } from 'node:fs';
import { main } from './cli.js';
import { processIo } from './io.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

process.exitCode = await main(process.argv.slice(2), processIo(), { version: packageVersion() });
