/**
 * Go's `net/url` escaping rules (`shouldEscape`, `escape`, `unescape`, `setPath`/`setFragment`),
 * which decide how the kubelet's request paths, hosts and fragments are written (spec §5.2). The
 * URL model that uses them is in `go-url.ts`.
 *
 * @internal
 * @module
 */
import { goQuote } from './format.js';

/** Go's `encoding` for escaping: which part of a URL a string is. */
export type Mode = 'path' | 'host' | 'fragment';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) return mode === 'path' ? ch === '?' : mode !== 'fragment';
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

/** Go's `escape`: percent-encodes the bytes `mode` does not allow as they are. */
export function goEscape(bytes: Uint8Array, mode: Mode): string {
  let out = '';
  for (const c of bytes) {
    out += shouldEscape(c, mode) ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(c);
  }
  return out;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));
}

/** Go's `unescape`: the bytes, or the error text (`invalid URL escape "%zz"`). */
export function goUnescape(s: string, mode: Mode): Uint8Array | string {
  const bytes = encoder.encode(s);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i] as number;
    if (c === 0x25) {
      if (i + 2 >= bytes.length || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2])) {
        return `invalid URL escape ${goQuote(decoder.decode(bytes.slice(i, i + 3)))}`;
      }
      const value = parseInt(String.fromCharCode(bytes[i + 1] as number, bytes[i + 2] as number), 16);
      if (mode === 'host' && value < 0x80 && value !== 0x25) {
        return `invalid URL escape ${goQuote(decoder.decode(bytes.slice(i, i + 3)))}`;
      }
      out.push(value);
      i += 3;
      continue;
    }
    if (mode === 'host' && c < 0x80 && shouldEscape(c, mode)) {
      return `invalid character ${goQuote(String.fromCharCode(c))} in host name`;
    }
    out.push(c);
    i += 1;
  }
  return Uint8Array.from(out);
}

function validEncoded(s: string, mode: Mode): boolean {
  for (const c of encoder.encode(s)) {
    if (`!$&'()*+,;=:@[]%`.includes(String.fromCharCode(c))) continue;
    if (shouldEscape(c, mode)) return false;
  }
  return true;
}

/** Go's `EscapedPath`/`EscapedFragment` after `setPath(p)`/`setFragment(p)`, or the error. */
export function escapedForm(p: string, mode: Mode): string | { error: string } {
  const bytes = goUnescape(p, mode);
  if (typeof bytes === 'string') return { error: bytes };
  if (mode === 'path' && p === '*') return '*';
  return validEncoded(p, mode) ? p : goEscape(bytes, mode);
}

/** `URL.Path` given verbatim (the `formatURL` fallback when the path does not parse). */
export function escapeGoPath(path: string): string {
  return path === '*' ? '*' : goEscape(encoder.encode(path), 'path');
}
