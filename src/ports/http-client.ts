/** One HTTP GET as the kubelet sends it for an httpGet hook. Header names are canonicalised. */
export interface HttpRequest {
  readonly method: 'GET';
  /** Absolute URL: scheme, host (IPv6 bracketed), port, path, query. */
  readonly url: string;
  /** Ordered header pairs; repeats allowed. A `Host` header sets the virtual host. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /**
   * Read up to this many bytes of the body and return them as {@link HttpResponse.body}: the
   * httpGet probe asks for 10 KiB (the kubelet's `maxRespBodyLength`), whose 3xx warning quotes
   * the body. Unset (hooks): the body is drained and discarded. An adapter may ignore it; the
   * probe then quotes an empty body.
   */
  readonly readBodyBytes?: number;
}

/** The response: status and lower-cased header names (`location` drives redirects). */
export interface HttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** At most `readBodyBytes` bytes of the body as UTF-8 text, when the request asked for them. */
  readonly body?: string;
}

/**
 * The HTTP port (DESIGN §5, pinned): one request, no redirect following (the core applies the
 * kubelet's redirect policy using `headers.location`), no TLS verification (as the kubelet),
 * body drained and discarded — or, when the request sets `readBodyBytes`, its first bytes
 * returned (an extension for the httpGet probe). An HTTPS request answered in plain HTTP rejects
 * with an error whose `code` is {@link HTTP_RESPONSE_TO_HTTPS_CLIENT} (the core then retries over
 * http, spec §5.2).
 */
export interface HttpClient {
  request(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpResponse>;
}

/** The `code` an `HttpClient` puts on the error for "server gave HTTP response to HTTPS client". */
export const HTTP_RESPONSE_TO_HTTPS_CLIENT = 'HTTP_RESPONSE_TO_HTTPS_CLIENT';
