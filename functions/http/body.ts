/**
 * Reading request bodies the same careful way everywhere: a size limit (413), known content types
 * only (415), strict UTF-8 and JSON (400), each refusal in the one error shape.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { VALIDATION_TEXT } from "../domain/input.ts";
import { ApiError } from "../errors.ts";
import { isLocale, LOCALES } from "../i18n/index.ts";
import { encodeText, type Text, text as words } from "../i18n/text.ts";

export const MAX_BODY_BYTES = 64 * 1024;
/** How much of a refused body is read and dropped before answering (see `discardBody`). */
export const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Reads and drops what is left of a request body (up to `limit` bytes, then cancels it). Answering
 * while the client is still sending makes some proxies reset the connection, so the client sees no answer
 * at all (wrangler dev's did, about one 1 MB body in ten, or answered 500): a refusal is read out first.
 */
export async function discardBody(body: ReadableStream<Uint8Array> | null, limit = DISCARD_LIMIT_BYTES): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  let read = 0;
  try {
    while (read <= limit) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing to answer.
  } finally {
    reader.releaseLock();
  }
}

/**
 * Reads a body up to `maxBytes` while it arrives, chunked or not, into one buffer of that size: the bytes,
 * or null when it is larger. The rest of a larger body is then read out and dropped into one reused
 * 64 KB buffer (up to DISCARD_LIMIT_BYTES, so the client is answered rather than cut off), so a 5 MB
 * body costs the Worker no more memory than a 64 KB one. Byte streams are read with a BYOB reader (no
 * allocation per chunk); other streams chunk by chunk.
 */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!body) return new Uint8Array(0);
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    byob = null;
  }
  if (!byob) return readBoundedByChunks(body, maxBytes);
  let buffer = new Uint8Array(maxBytes + 1);
  let size = 0;
  try {
    while (size <= maxBytes) {
      const { done, value } = await byob.read(new Uint8Array(buffer.buffer, size, buffer.byteLength - size));
      if (!value) break;
      buffer = new Uint8Array(value.buffer as ArrayBuffer);
      size += value.byteLength;
      if (done) break;
    }
    if (size <= maxBytes) return buffer.slice(0, size);
    // Too large: read out the rest into one reused buffer, then stop reading.
    let scratch = new Uint8Array(64 * 1024);
    let dropped = 0;
    while (dropped <= DISCARD_LIMIT_BYTES) {
      const { done, value } = await byob.read(scratch);
      if (done || !value) return null;
      scratch = new Uint8Array(value.buffer as ArrayBuffer);
      dropped += value.byteLength;
    }
    await byob.cancel().catch(() => {});
    return null;
  } catch {
    return null;
  } finally {
    byob.releaseLock();
  }
}

async function readBoundedByChunks(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        chunks.length = 0;
        reader.releaseLock();
        await discardBody(body);
        return null;
      }
      chunks.push(value);
    }
  } finally {
    if (size <= maxBytes) reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

export const limitBody = (maxSize = MAX_BODY_BYTES) =>
  bodyLimit({
    maxSize,
    onError: async (c) => {
      await discardBody(c.req.raw.body);
      throw new ApiError(413, "body_too_large", words("errors.http.bodyTooLarge", { kb: maxSize / 1024 }));
    },
  });

export type ParsedBody = { kind: "json"; data: unknown } | { kind: "form"; data: Record<string, string> };

export type BodyKind = ParsedBody["kind"];

export async function readBody(c: Context, accept: BodyKind[] = ["json", "form"]): Promise<ParsedBody> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const kind: BodyKind | null =
    type === "application/json" ? "json" : type === "application/x-www-form-urlencoded" ? "form" : null;
  if (!kind || !accept.includes(kind)) {
    const types = accept.map((k) => (k === "json" ? "application/json" : "application/x-www-form-urlencoded"));
    const allowed: Text | string =
      types.length === 2 ? words("errors.http.or", { a: types[0] as string, b: types[1] as string }) : types.join(", ");
    throw new ApiError(
      415,
      "unsupported_media_type",
      type ? words("errors.http.mediaTypeNot", { allowed, type }) : words("errors.http.mediaType", { allowed }),
      { "Content-Type": encodeText(words("errors.http.mediaTypeField", { allowed })) },
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer());
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(400, "invalid_encoding", words("errors.http.encoding"), {
      body: encodeText(words("errors.http.encodingField")),
    });
  }
  if (kind === "form") {
    const data: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(text)) if (!(k in data)) data[k] = v;
    return { kind, data: takeLocale(c, data) };
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof SyntaxError ? err.message : "too deeply nested";
    throw new ApiError(400, "invalid_json", words("errors.http.json", { detail }), {
      body: encodeText(words("errors.http.jsonField")),
    });
  }
  return { kind, data: takeLocale(c, data) };
}

/**
 * A body's `locale` field (`"it"`) chooses the language of the answer's messages, before `Accept-Language`
 * (set by the app's first middleware as `c.var.locale`); it is taken out of the body, so no schema needs it.
 * Not on the staff API, where `locale` is an account's desk language.
 */
export function takeLocale<T>(c: Context, data: T): T {
  // On the staff API `locale` is data (an account's desk language), and answers follow the account.
  if (new URL(c.req.url).pathname.startsWith("/api/admin/")) return data;
  if (!data || typeof data !== "object" || Array.isArray(data) || !("locale" in data)) return data;
  const { locale, ...rest } = data as Record<string, unknown>;
  if (!isLocale(locale))
    throw new ApiError(422, "validation_failed", VALIDATION_TEXT, {
      locale: encodeText(words("errors.http.locale", { locales: LOCALES.join(", ") })),
    });
  c.set("locale", locale);
  return rest as T;
}
