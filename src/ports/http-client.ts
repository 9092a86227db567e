/** One HTTP GET as the kubelet sends it for an httpGet hook. Header names are canonicalised. */
export interface HttpRequest {
  readonly method: 'GET';
  /** Absolute URL: scheme, host (IPv6 bracketed), port, path, query. */
  readonly url: string;
  /** Ordered header pairs; repeats allowed. A `Host` header sets the virtual host. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** The response: status and lower-cased header names (`location` drives redirects). */
export interface HttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The HTTP port (DESIGN §5, pinned): one request, no redirect following (the core applies the
 * kubelet's redirect policy using `headers.location`), no TLS verification (as the kubelet),
 * body drained and discarded. An HTTPS request answered in plain HTTP rejects with an error whose
 * `code` is {@link HTTP_RESPONSE_TO_HTTPS_CLIENT} (the core then retries over http, spec §5.2).
 */
export interface HttpClient {
  request(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpResponse>;
}

/** The `code` an `HttpClient` puts on the error for "server gave HTTP response to HTTPS client". */
export const HTTP_RESPONSE_TO_HTTPS_CLIENT = 'HTTP_RESPONSE_TO_HTTPS_CLIENT';
