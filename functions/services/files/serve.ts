/**
 * Serving a stored file: its pieces streamed from R2 one after the other, never guessed from a URL
 * (the route checks the staff session or the RMA's signed link first). Images (JPEG, PNG, WebP) are
 * shown inline with their sniffed type; everything else is a download (`Content-Disposition:
 * attachment`). Every answer carries `X-Content-Type-Options: nosniff` and `Content-Security-Policy:
 * sandbox`, so even a file a browser was made to open runs nothing.
 */
import type { FileRow } from "../../../db/schema/files.ts";
import { pieceKey } from "./store.ts";

const INLINE_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

/** `attachment; filename="photo.jpg"; filename*=UTF-8''…`: an ASCII fallback and the exact name. */
export function contentDisposition(inline: boolean, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

export function fileHeaders(row: Pick<FileRow, "contentType" | "name" | "size" | "sha256">): Headers {
  const inline = INLINE_TYPES.has(row.contentType);
  return new Headers({
    "Content-Type": row.contentType,
    "Content-Disposition": contentDisposition(inline, row.name),
    "Content-Length": String(row.size),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private, no-store",
    ETag: `"${row.sha256}"`,
  });
}

/** The file's bytes as a stream of its pieces, read from R2 one at a time as the client reads. */
export function fileBody(bucket: R2Bucket, row: Pick<FileRow, "id" | "pieces" | "size">): ReadableStream<Uint8Array> {
  const { readable, writable } = new FixedLengthStream(row.size);
  const copy = async () => {
    for (let n = 0; n < row.pieces; n++) {
      const piece = await bucket.get(pieceKey(row.id, n));
      if (!piece) throw new Error(`piece ${n} of file ${row.id} is missing`);
      await piece.body.pipeTo(writable, { preventClose: true });
    }
    await writable.close();
  };
  copy().catch(async (err: unknown) => {
    console.error("serving a file failed", err);
    await writable.abort(err).catch(() => {});
  });
  return readable;
}
