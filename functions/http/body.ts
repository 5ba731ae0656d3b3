/**
 * Reading request bodies the same careful way everywhere: a size limit (413), known content types
 * only (415), strict UTF-8 and JSON (400), each refusal in the one error shape.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../errors.ts";

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

export const limitBody = (maxSize = MAX_BODY_BYTES) =>
  bodyLimit({
    maxSize,
    onError: async (c) => {
      await discardBody(c.req.raw.body);
      throw new ApiError(
        413,
        "body_too_large",
        `The request body is larger than ${maxSize / 1024} KB. Shorten the longest texts and send it again.`,
      );
    },
  });

export type ParsedBody = { kind: "json"; data: unknown } | { kind: "form"; data: Record<string, string> };

export type BodyKind = ParsedBody["kind"];

export async function readBody(c: Context, accept: BodyKind[] = ["json", "form"]): Promise<ParsedBody> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const kind: BodyKind | null =
    type === "application/json" ? "json" : type === "application/x-www-form-urlencoded" ? "form" : null;
  if (!kind || !accept.includes(kind)) {
    const allowed = accept.map((k) => (k === "json" ? "application/json" : "application/x-www-form-urlencoded")).join(" or ");
    throw new ApiError(415, "unsupported_media_type", `Send the body as ${allowed}${type ? `, not ${type}` : ""}.`, {
      "Content-Type": `Expected ${allowed}.`,
    });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer());
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(400, "invalid_encoding", "The request body is not valid UTF-8 text.", { body: "Not valid UTF-8." });
  }
  if (kind === "form") {
    const data: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(text)) if (!(k in data)) data[k] = v;
    return { kind, data };
  }
  try {
    return { kind, data: JSON.parse(text) as unknown };
  } catch (err) {
    const detail = err instanceof SyntaxError ? err.message : "too deeply nested";
    throw new ApiError(400, "invalid_json", `The request body is not valid JSON (${detail}).`, { body: "Malformed JSON." });
  }
}
