/**
 * Reading a page's form post the same careful way the API reads its bodies (functions/http/body.ts):
 * web-form encodings only (415), at most 64 KB (413, read while it arrives, chunked or not, never held
 * whole), UTF-8 text (400); the first value of each name,
 * and the first non-empty file of each name (multipart). A refusal says what to do, for the page to show
 * with its status.
 */
import { discardBody, MAX_BODY_BYTES, readBounded } from "@/functions/http/body.ts";
import { say, type Text, text } from "@/functions/i18n/text.ts";

export type PageForm =
  | { ok: true; fields: Record<string, string>; files: Map<string, File> }
  | { ok: false; status: 400 | 413 | 415; message: string; text: Text };

/** A refusal in words: `text` for a page to say in its own language, `message` in English (the staff desk's pages). */
function refusal(status: 400 | 413 | 415, words: Text) {
  return { ok: false, status, text: words, message: say("en", words) } as const;
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
