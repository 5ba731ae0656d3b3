/**
 * What an uploaded file is, by its content (magic bytes), never by its name or declared type. Allowed:
 * JPEG, PNG, WebP, PDF, ZIP, and plain text (logs, CSV, JSON, XML, configuration files). Text is
 * accepted when its first bytes are valid UTF-8 without control characters other than tab, CR, LF and
 * form feed; text that looks like HTML or SVG (or any markup that a browser would run) is refused, so
 * nothing stored can ever be rendered as a page. Executables (MZ, ELF, Mach-O, scripts with `#!`) are
 * refused whatever they are called. A ZIP is served as a download only, whatever it contains.
 */

export const FILE_TYPES = {
  jpeg: { mime: "image/jpeg", inline: true },
  png: { mime: "image/png", inline: true },
  webp: { mime: "image/webp", inline: true },
  pdf: { mime: "application/pdf", inline: false },
  zip: { mime: "application/zip", inline: false },
  text: { mime: "text/plain; charset=utf-8", inline: false },
} as const;

export type FileKind = keyof typeof FILE_TYPES;

/** How many leading bytes `sniffFileType` looks at (it must be given at least these, or the whole file). */
export const SNIFF_BYTES = 1024;

/** The limits of one submission (a request or a message), enforced while the body is read. */
export const FILE_LIMITS = {
  /** Files per unit of a request, and per message. */
  filesPerGroup: 5,
  /** Bytes per file. */
  bytesPerFile: 10 * 1024 * 1024,
  /** Bytes of all files of one submission together. */
  bytesPerSubmission: 25 * 1024 * 1024,
  /** Characters of a file name kept (longer names are cut, keeping the extension). */
  nameLength: 120,
} as const;

export type SniffResult =
  | { ok: true; kind: FileKind; mime: string; inline: boolean }
  | { ok: false; reason: "empty" | "executable" | "markup" | "unknown" };

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const EXECUTABLES: readonly (readonly number[])[] = [
  [0x4d, 0x5a], // MZ: Windows PE / DOS
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xfe, 0xed, 0xfa, 0xce],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O fat / Java class
  [0x23, 0x21], // #! script
];

/** Markup a browser would render or run, looked for at the start of a text file (after a BOM and blanks). */
const MARKUP =
  /^(?:<!doctype\s+html|<html|<head|<body|<script|<svg|<\?xml[^>]*>\s*(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+svg|<svg|<html)|<iframe|<object|<embed|<meta|<link|<style|<img|<a\s)/i;

function isText(bytes: Uint8Array, complete: boolean): boolean {
  // A multi-byte character cut at the end of the sniffed window is fine.
  const view = complete ? bytes : bytes.subarray(0, Math.max(0, bytes.length - 3));
  for (const b of view) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(view);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file's type from its first bytes (`head`: at least SNIFF_BYTES of it, or all of it when it is
 * shorter; `complete` says it is the whole file).
 */
export function sniffFileType(head: Uint8Array, complete = head.length < SNIFF_BYTES): SniffResult {
  const found = (kind: FileKind): SniffResult => ({ ok: true, kind, ...FILE_TYPES[kind] });
  if (head.length === 0) return { ok: false, reason: "empty" };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return found("jpeg");
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return found("png");
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return found("webp");
  if (startsWith(head, ascii("%PDF-"))) return found("pdf");
  // A ZIP's local file header, or the end record of an empty archive.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return found("zip");
  if (EXECUTABLES.some((sig) => startsWith(head, sig))) return { ok: false, reason: "executable" };
  if (!isText(head, complete)) return { ok: false, reason: "unknown" };
  const text = new TextDecoder()
    .decode(head)
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (MARKUP.test(text)) return { ok: false, reason: "markup" };
  return found("text");
}

/**
 * A file name as the customer gave it, made safe to store and to put in a header: no path, no control
 * characters, at most FILE_LIMITS.nameLength characters (keeping the extension); never empty.
 */
export function cleanFileName(name: string | null | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  let clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  if (clean === "" || clean === "." || clean === "..") clean = "file";
  if (clean.length > FILE_LIMITS.nameLength) {
    const dot = clean.lastIndexOf(".");
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : "";
    clean = clean.slice(0, FILE_LIMITS.nameLength - ext.length) + ext;
  }
  return clean;
}
