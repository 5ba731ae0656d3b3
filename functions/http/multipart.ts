/**
 * A streaming `multipart/form-data` reader: the body is read chunk by chunk as it arrives and handed
 * on as events (a part's headers, its data, its end), so a caller can count, check and store a file
 * while it is uploaded and stop at the first byte past a limit, without ever holding the whole body
 * (Workers' `formData()` would buffer all of it first). Knows nothing of files or limits itself except
 * the size of a part's headers and the number of parts.
 */
import { ApiError } from "../errors.ts";
import { encodeText, type Text, text } from "../i18n/text.ts";
import { DISCARD_LIMIT_BYTES } from "./body.ts";

export interface PartHeaders {
  /** The form field's name (`files`, `units.0.files`, `request`, `body`…). */
  name: string;
  /** The file name the client gave, for file parts; null for plain fields. */
  filename: string | null;
  contentType: string | null;
}

export type MultipartEvent = { type: "part"; part: PartHeaders } | { type: "data"; bytes: Uint8Array } | { type: "end" };

const MAX_HEADER_BYTES = 8 * 1024;
/** Parts of one body at most (fields and files together). */
export const MAX_PARTS = 200;

const enc = new TextEncoder();
const CRLFCRLF = enc.encode("\r\n\r\n");

/** The boundary of a `multipart/form-data` Content-Type, or null when the type is something else. */
export function multipartBoundary(contentType: string | null | undefined): string | null {
  const value = contentType ?? "";
  if (!/^\s*multipart\/form-data\s*(;|$)/i.test(value)) return null;
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(value);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

type Why = "disposition" | "noName" | "empty" | "boundaryLine" | "headersTooLong" | "tooManyParts" | "unclosed";

/** The body cannot be read as multipart/form-data: 400, saying why (in the reader's language). */
function malformed(why: Why, params?: Text["params"]): ApiError {
  const detail = text(`errors.http.multipartWhy.${why}`, params);
  return new ApiError(400, "invalid_multipart", text("errors.http.multipart", { detail }), { body: encodeText(detail) });
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0] ?? 0;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let dropped = 0;
  try {
    while (dropped <= DISCARD_LIMIT_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away.
  }
}

/** A text part's bytes (its `data` events, in order) as UTF-8, or null when they are not UTF-8. */
export function partText(chunks: readonly Uint8Array[]): string | null {
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** RFC 7578 with RFC 2231/5987 `filename*=` and quoted names (browsers escape `"` as %22). */
function parseHeaders(text: string): PartHeaders {
  let disposition = "";
  let contentType: string | null = null;
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-disposition") disposition = value;
    else if (key === "content-type") contentType = value;
  }
  if (!/^form-data\s*(;|$)/i.test(disposition)) throw malformed("disposition");
  const param = (name: string): string | null => {
    const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i");
    const m = re.exec(disposition);
    if (!m) return null;
    return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? "").trim();
  };
  const extended = /;\s*filename\*\s*=\s*([^']*)'[^']*'([^;]*)/i.exec(disposition);
  let filename = param("filename");
  if (extended?.[2]) {
    try {
      filename = decodeURIComponent(extended[2].trim());
    } catch {
      // Keep the plain filename.
    }
  }
  const name = param("name");
  if (name === null) throw malformed("noName");
  const decode = (s: string) => s.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
  return { name: decode(name), filename: filename === null ? null : decode(filename), contentType };
}

/**
 * The body's parts as events, in order: `part` (headers), `data` (zero or more chunks of its content)
 * and `end`, for each part. Reading stops when the caller stops iterating (the rest of the body is not
 * read). Throws 400 `invalid_multipart` for a body that is not well-formed.
 */
export async function* readMultipart(body: ReadableStream<Uint8Array> | null, boundary: string): AsyncGenerator<MultipartEvent> {
  if (!body) throw malformed("empty");
  const delimiter = enc.encode(`\r\n--${boundary}`);
  const keep = delimiter.length + 4;
  const reader = body.getReader();
  // A virtual CRLF before the body: the first boundary then looks like every other one.
  let buf: Uint8Array = enc.encode("\r\n");
  let state: "preamble" | "after" | "headers" | "body" | "done" = "preamble";
  let ended = false;
  let parts = 0;
  try {
    for (;;) {
      let progressed = true;
      while (progressed && state !== "done") {
        progressed = false;
        if (state === "preamble" || state === "body") {
          const at = indexOf(buf, delimiter);
          if (at >= 0) {
            if (state === "body") {
              if (at > 0) yield { type: "data", bytes: buf.subarray(0, at) };
              yield { type: "end" };
            }
            buf = buf.subarray(at + delimiter.length);
            state = "after";
            progressed = true;
          } else if (buf.length > keep) {
            if (state === "body") yield { type: "data", bytes: buf.subarray(0, buf.length - keep) };
            buf = buf.subarray(buf.length - keep);
          }
        } else if (state === "after") {
          // Transport padding (spaces/tabs) may follow a boundary before its CRLF or "--".
          let i = 0;
          while (buf[i] === 0x20 || buf[i] === 0x09) i++;
          if (buf.length >= i + 2) {
            if (buf[i] === 0x2d && buf[i + 1] === 0x2d) {
              state = "done";
            } else if (buf[i] === 0x0d && buf[i + 1] === 0x0a) {
              buf = buf.subarray(i + 2);
              state = "headers";
              progressed = true;
            } else {
              throw malformed("boundaryLine");
            }
          }
        } else if (state === "headers") {
          const at = indexOf(buf, CRLFCRLF);
          if (at < 0 && buf.length > MAX_HEADER_BYTES) throw malformed("headersTooLong");
          if (at >= 0) {
            if (++parts > MAX_PARTS) throw malformed("tooManyParts", { max: MAX_PARTS });
            const text = new TextDecoder().decode(buf.subarray(0, at));
            buf = buf.subarray(at + 4);
            yield { type: "part", part: parseHeaders(text) };
            state = "body";
            progressed = true;
          }
        }
      }
      if (state === "done") return;
      if (ended) throw malformed("unclosed");
      const { done, value } = await reader.read();
      if (done) ended = true;
      else buf = concat(buf, value);
    }
  } finally {
    // Left early (a refusal): the rest is read out and dropped (up to DISCARD_LIMIT_BYTES, in chunks that
    // are not kept) so the client is answered rather than cut off mid-upload, then reading stops.
    if (state !== "done" && !ended) await drain(reader);
    reader.releaseLock();
  }
}
