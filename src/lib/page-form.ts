/**
 * Reading a page's form post the same careful way the API reads its bodies (functions/http/body.ts):
 * web-form encodings only (415), at most 64 KB (413, read while it arrives, chunked or not, never held
 * whole), UTF-8 text (400); the first value of each name,
 * and the first non-empty file of each name (multipart). A refusal says what to do, for the page to show
 * with its status.
 */
import { ApiError } from "@/functions/errors.ts";
import { discardBody, MAX_BODY_BYTES, readBounded } from "@/functions/http/body.ts";
import { partText, readMultipart } from "@/functions/http/multipart.ts";
import type { Locale } from "@/functions/i18n/index.ts";
import { type Text, text } from "@/functions/i18n/text.ts";
import { receiveRequestFiles } from "@/functions/services/files/request-files.ts";
import type { ReceivedFile } from "@/functions/services/files/store.ts";

export type PageForm =
  | { ok: true; fields: Record<string, string>; files: Map<string, File> }
  | { ok: false; status: 400 | 413 | 415; text: Text };

/** A refusal as a `Text`, for the page to say in its reader's language. */
function refusal(status: 400 | 413 | 415, words: Text) {
  return { ok: false, status, text: words } as const;
}

const URLENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

export async function readPageForm(request: Request, maxBytes = MAX_BODY_BYTES): Promise<PageForm> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== URLENCODED && type !== MULTIPART) {
    return refusal(415, text("rma.pageForm.wrongType"));
  }
  const tooLarge = refusal(413, text("rma.pageForm.tooLarge", { kb: maxBytes / 1024 }));
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) {
    await discardBody(request.body);
    return tooLarge;
  }
  // Read while it arrives (a chunked body has no Content-Length): refused as soon as it passes the limit.
  const bytes = await readBounded(request.body, maxBytes);
  if (!bytes) return tooLarge;
  const fields: Record<string, string> = {};
  const files = new Map<string, File>();
  const keep = (k: string, v: unknown) => {
    if (typeof v === "string") {
      if (!(k in fields)) fields[k] = v;
    } else if (v instanceof File && v.size > 0 && !files.has(k)) files.set(k, v);
  };
  try {
    if (type === URLENCODED) {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      for (const [k, v] of new URLSearchParams(text)) keep(k, v);
    } else {
      const form = await new Response(bytes, {
        headers: { "content-type": request.headers.get("content-type") ?? "" },
      }).formData();
      for (const [k, v] of form) keep(k, v);
    }
  } catch {
    return refusal(400, text("rma.pageForm.notUtf8"));
  }
  return { ok: true, fields, files };
}

/** What a multipart request form brought: its text fields, its files (in R2), and the refusal that stopped the files, if any. */
export interface PageUpload {
  fields: Record<string, string>;
  files: ReceivedFile[];
  refused: ApiError | null;
}

/** How much of a body is still read, after a refused file, for the text fields that follow it. */
const SALVAGE_LIMIT_BYTES = 40 * 1024 * 1024;

/**
 * Reads a request form posted as `multipart/form-data`: the units' files (`units.N.files`) go to R2 as
 * they arrive, under the files' limits (receiveRequestFiles). A refused file stops the storing (every
 * piece of the submission is deleted), but the form must come back with every value kept, also those
 * after the refused file: so the bytes are also handed, as they are read, to a second reader that keeps
 * only the text fields (at most 64 KB of them, file bytes dropped at once), and after a refusal the rest
 * of the body is read for it alone. It never runs ahead of the first reader, so the Worker holds no more
 * of the body than the first reader does.
 */
export async function readPageUpload(request: Request, bucket: R2Bucket, boundary: string, locale: Locale): Promise<PageUpload> {
  if (!request.body) return { fields: {}, files: [], refused: null };
  const source = request.body.getReader();
  let side: ReadableStreamDefaultController<Uint8Array> | null = null;
  const sideStream = new ReadableStream<Uint8Array>({
    start(controller) {
      side = controller;
    },
  });
  let sideOpen = true;
  const toSide = (chunk: Uint8Array) => {
    if (sideOpen) side?.enqueue(chunk.slice());
  };
  const endSide = () => {
    if (!sideOpen) return;
    sideOpen = false;
    try {
      side?.close();
    } catch {
      // Already closed.
    }
  };
  const texts = textFieldsOf(sideStream, boundary).finally(endSide);
  const main = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await source.read();
      if (done) {
        endSide();
        controller.close();
        return;
      }
      toSide(value);
      controller.enqueue(value);
    },
    async cancel() {
      // The first reader stopped (a refusal): the rest is read for the text fields only.
      let read = 0;
      try {
        while (sideOpen && read <= SALVAGE_LIMIT_BYTES) {
          const { done, value } = await source.read();
          if (done) break;
          read += value.byteLength;
          toSide(value);
        }
        await source.cancel();
      } catch {
        // The client went away.
      }
      endSide();
    },
  });
  try {
    const upload = await receiveRequestFiles(bucket, main, boundary, locale);
    endSide();
    await texts;
    return { fields: upload.fields, files: upload.files, refused: null };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // The first reader left early: what it did not read is read for the text fields.
    await main.cancel().catch(() => {});
    return { fields: await texts, files: [], refused: err };
  }
}

/** The text fields of a multipart body (the first value of each name, at most MAX_BODY_BYTES together); files skipped. */
async function textFieldsOf(body: ReadableStream<Uint8Array>, boundary: string): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  let current: { name: string; chunks: Uint8Array[] } | null = null;
  let total = 0;
  try {
    for await (const event of readMultipart(body, boundary)) {
      if (event.type === "part") {
        current = event.part.filename === null ? { name: event.part.name, chunks: [] } : null;
      } else if (event.type === "data") {
        if (!current) continue;
        total += event.bytes.byteLength;
        if (total > MAX_BODY_BYTES) current = null;
        else current.chunks.push(event.bytes.slice());
      } else if (current) {
        // Not UTF-8: left out.
        const value = partText(current.chunks);
        if (value !== null && !(current.name in fields)) fields[current.name] = value;
        current = null;
      }
    }
  } catch {
    // A malformed or cut body: the fields read so far.
  }
  return fields;
}
