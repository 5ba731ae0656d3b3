/**
 * A raw HTTP/1.1 request with node:http: the path goes out exactly as written (fetch would resolve
 * `../` and `%2e%2e` first) and the body exactly as given (bytes that are not UTF-8 included).
 */
import { request as httpRequest, type IncomingMessage } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json(): unknown;
}

export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: opts.headers ?? {}, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({
          status: res.statusCode ?? 0,
          headers,
          text,
          json: () => JSON.parse(text),
        });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
    req.on("error", reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

/** The whole body of a request a test server received, as bytes (`.toString()` for text). */
export function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise<Buffer>((res, rej) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res(Buffer.concat(chunks)));
    req.on("error", rej);
  });
}
