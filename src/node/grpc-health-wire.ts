/**
 * The grpc.health.v1 wire format, by hand (no protobuf dependency): gRPC message framing and the
 * two messages of `Health/Check`. Pure functions.
 * @module
 */

/** The `HealthCheckResponse.ServingStatus` names by number (grpc/health/v1/health.proto). */
export const SERVING_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'SERVING',
  2: 'NOT_SERVING',
  3: 'SERVICE_UNKNOWN',
};

/** gRPC status code names by number, as Go's `codes.Code.String()` writes them. */
export const GRPC_CODE_NAMES: readonly string[] = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

/** grpc-go's mapping of a non-gRPC HTTP status to a gRPC code (others: Unknown). */
export const HTTP_STATUS_TO_GRPC_CODE: Readonly<Record<number, string>> = {
  400: 'Internal',
  401: 'Unauthenticated',
  403: 'PermissionDenied',
  404: 'Unimplemented',
  429: 'Unavailable',
  502: 'Unavailable',
  503: 'Unavailable',
  504: 'Unavailable',
};

function varint(n: number): number[] {
  const bytes: number[] = [];
  let rest = n;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

/** A `HealthCheckRequest { service }` (field 1, string; omitted when empty, as proto3 does) in a gRPC frame. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const text = Buffer.from(service, 'utf8');
  const message =
    text.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, ...varint(text.length)]), text]);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt8(0, 0); // not compressed
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** The messages of a gRPC response body; throws on a truncated or compressed frame. */
export function decodeFrames(body: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    if (body.length - at < 5) throw new Error(`truncated gRPC frame header (${body.length - at} bytes)`);
    if (body.readUInt8(at) !== 0) throw new Error('compressed gRPC message, but no compression was negotiated');
    const length = body.readUInt32BE(at + 1);
    if (body.length - at - 5 < length) throw new Error(`truncated gRPC message: ${length} bytes announced`);
    messages.push(body.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return messages;
}

/**
 * The serving status of a `HealthCheckResponse` (field 1, enum): its name, or the number for a
 * value the proto does not name (as Go's `String()`); `UNKNOWN` when the field is absent.
 * Throws on malformed protobuf.
 */
export function decodeHealthCheckResponse(message: Buffer): string {
  let status = 0;
  let at = 0;
  const readVarint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= message.length) throw new Error('truncated varint');
      const byte = message[at++] as number;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  };
  while (at < message.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) {
      const value = readVarint();
      if (field === 1) status = value;
    } else if (wireType === 2) {
      const length = readVarint();
      at += length;
    } else if (wireType === 1) {
      at += 8;
    } else if (wireType === 5) {
      at += 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
    if (at > message.length) throw new Error('truncated field');
  }
  return SERVING_STATUS_NAMES[status] ?? String(status);
}

/** Percent-decode a `grpc-message` trailer (gRPC over HTTP/2 spec); invalid escapes are kept. */
export function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
