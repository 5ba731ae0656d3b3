/**
 * An RMA's conversation for the tests of the staff RMA page's history: a customer message through the
 * signed link, a staff reply with a photo and a PDF through the page's own reply form (multipart, the
 * staff session), and the files those tests attach.
 */

/** A real 1×1 PNG (so a thumbnail loads in Chromium). */
export const TINY_PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);
/** A PNG's signature and header start: enough for the type sniffed by content (not an image that loads). */
export const PNG_HEAD = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
]);

/** `size` bytes starting with `prefix` (a file type's signature), the rest a fixed pattern. */
export function fileBytes(prefix: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + 7) % 251;
  out.set(prefix, 0);
  return out;
}

export const TINY_PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

export interface Attachment {
  name: string;
  bytes: Uint8Array;
  type: string;
}

export function messageForm(body: string, files: Attachment[] = []): FormData {
  const form = new FormData();
  form.append("body", body);
  for (const f of files) form.append("files", new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type }), f.name);
  return form;
}

/** The customer writes on their RMA (`rmaLink`: `/rma/{n}?t=…`, the signed link of their page). */
export async function customerWrites(baseUrl: string, rmaLink: string, body: string, files: Attachment[] = []): Promise<void> {
  const url = new URL(rmaLink, baseUrl);
  const token = url.searchParams.get("t") ?? "";
  const number = url.pathname.split("/").pop() ?? "";
  const res = await fetch(`${baseUrl}/api/rmas/${number}/messages?t=${encodeURIComponent(token)}`, {
    method: "POST",
    headers: { origin: baseUrl },
    body: messageForm(body, files),
  });
  if (res.status !== 201) throw new Error(`customer message refused: ${res.status} ${await res.text()}`);
}

/** Staff answer through the staff RMA page's reply form (as a browser without JavaScript posts it). */
export async function staffReplies(
  baseUrl: string,
  staffCookie: string,
  rmaNumber: string,
  body: string,
  files: Attachment[] = [],
): Promise<void> {
  const res = await fetch(`${baseUrl}/admin/rma/${rmaNumber}?reply`, {
    method: "POST",
    headers: { cookie: staffCookie, origin: baseUrl, accept: "text/html" },
    body: messageForm(body, files),
    redirect: "manual",
  });
  if (res.status !== 303) throw new Error(`staff reply refused: ${res.status} ${(await res.text()).slice(0, 300)}`);
}

/** The files of a refused reply: one more photo than a message may carry. */
export const SIX_PHOTOS: Attachment[] = Array.from({ length: 6 }, (_, i) => ({
  name: `photo-${i + 1}.png`,
  bytes: TINY_PNG,
  type: "image/png",
}));
