/**
 * Receiving a multipart submission (a message with its files, or a request with its units' files)
 * straight into R2 while it is read: each file is checked by its first bytes, counted against the
 * limits byte by byte, hashed (SHA-256) and written as pieces `files/<id>/<n>` of at most 1 MiB, so one
 * submission holds at most one piece (1 MiB) in the Worker's memory whatever its size. The first file
 * over a limit, of a refused type, or an R2 write that fails stops the reading: every piece of the
 * submission stored so far is deleted, and the refusal names the file and why. Nothing is in the
 * database yet: the caller writes the rows (`fileRows`) in one batch with what the files belong to,
 * and a failure there leaves only pieces without rows, which nobody can reach and the hourly sweep
 * (sweep.ts) removes.
 */
import type { rmaFiles } from "../../../db/schema/files.ts";
import { cleanFileName, FILE_LIMITS, type FileKind, SNIFF_BYTES, sniffFileType } from "../../domain/file-type.ts";
import type { AppEnv } from "../../env.ts";
import { ApiError, Refusal, type RefusalCode } from "../../errors.ts";
import { partText, readMultipart } from "../../http/multipart.ts";
import { type Locale, translator } from "../../i18n/index.ts";
import { encodeText, text as words } from "../../i18n/text.ts";

/** Bytes per R2 piece: the most one submission holds in memory at a time. */
export const PIECE_BYTES = 1024 * 1024;
export const FILE_PREFIX = "files/";

export const pieceKey = (fileId: string, n: number) => `${FILE_PREFIX}${fileId}/${n}`;

export interface ReceivedFile {
  id: string;
  /** The form field it came in (`files`, `units.2.files`). */
  field: string;
  name: string;
  kind: FileKind;
  contentType: string;
  size: number;
  sha256: string;
  pieces: number;
}

export interface Received {
  /** Text fields by name (the first of each name). */
  fields: Record<string, string>;
  files: ReceivedFile[];
}

export interface ReceiveOptions {
  locale: Locale;
  /** The group a file field counts in for the per-group limit (`units.0.files` → `0`), or null: not a file field. */
  fileGroup(field: string): string | null;
  /** Text fields accepted, and the bytes all of them may take together. */
  textFields: readonly string[] | ((name: string) => boolean);
  maxTextBytes: number;
}

/** Refusals a page can show again after a form post without JavaScript: the catalogue key and the file it names. */
export const FORM_NOTICES = [
  "tooMany",
  "tooBig",
  "submissionTooBig",
  "empty",
  "executable",
  "markup",
  "unknown",
  "unavailable",
  "bodyRequired",
  "bodyTooLong",
] as const;
export type FormNotice = (typeof FORM_NOTICES)[number];

export class FileRefusal extends Refusal {
  readonly notice: FormNotice;
  readonly fileName: string | null;
  constructor(code: RefusalCode, message: string, notice: FormNotice, fileName: string | null, field?: string) {
    super(code, message, field ? { [field]: message } : undefined);
    this.notice = notice;
    this.fileName = fileName;
  }
}

export function filesBucket(env: Pick<AppEnv, "FILES">, locale: Locale): R2Bucket {
  if (!env.FILES) throw new FileRefusal("files_unavailable", translator(locale).t("files.unavailable"), "unavailable", null);
  return env.FILES;
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

export function formatBytes(bytes: number, locale: Locale): string {
  const { number } = translator(locale);
  if (bytes >= 1024 * 1024) return `${number(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`;
  if (bytes >= 1024) return `${number(Math.round(bytes / 1024))} KB`;
  return `${number(bytes)} B`;
}

/**
 * Runs `work` (checks, then the rows) for files already stored: a refusal deletes their pieces at once; any
 * other failure (the database) leaves them to the hourly sweep of pieces without a row.
 */
export async function keepOnlyIfWritten<T>(
  bucket: R2Bucket,
  files: { id: string; pieces: number }[],
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApiError) await deletePieces(bucket, files);
    throw err;
  }
}

/** Deletes every piece of these files (best effort: what is left is swept by the hourly job). */
export async function deletePieces(bucket: R2Bucket, files: { id: string; pieces: number }[]): Promise<void> {
  const keys = files.flatMap((f) => Array.from({ length: f.pieces }, (_, n) => pieceKey(f.id, n)));
  for (let i = 0; i < keys.length; i += 1000) {
    await bucket.delete(keys.slice(i, i + 1000)).catch((err: unknown) => console.error("deleting refused pieces failed", err));
  }
}

/** One file being received: its pieces go to R2 as they fill. */
class Incoming {
  readonly id = crypto.randomUUID();
  size = 0;
  pieces = 0;
  kind: FileKind | null = null;
  contentType = "";
  private buffer = new Uint8Array(PIECE_BYTES);
  private filled = 0;
  // workerd offers it on `crypto` (not as a global).
  private readonly digest = new (crypto as unknown as { DigestStream: typeof DigestStream }).DigestStream("SHA-256");
  private readonly hashing = this.digest.getWriter();

  private readonly bucket: R2Bucket;
  readonly field: string;
  readonly name: string;
  private readonly refuse: (reason: "empty" | "executable" | "markup" | "unknown") => never;
  private readonly failed: () => never;

  constructor(
    bucket: R2Bucket,
    field: string,
    name: string,
    refuse: (reason: "empty" | "executable" | "markup" | "unknown") => never,
    failed: () => never,
  ) {
    this.bucket = bucket;
    this.field = field;
    this.name = name;
    this.refuse = refuse;
    this.failed = failed;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.size += bytes.byteLength;
    await this.hashing.write(bytes.slice());
    let at = 0;
    while (at < bytes.byteLength) {
      const n = Math.min(PIECE_BYTES - this.filled, bytes.byteLength - at);
      this.buffer.set(bytes.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === PIECE_BYTES) await this.flush(false);
    }
  }

  private sniff(complete: boolean): void {
    const found = sniffFileType(this.buffer.subarray(0, Math.min(this.filled, SNIFF_BYTES)), complete);
    if (!found.ok) this.refuse(found.reason);
    this.kind = found.kind;
    this.contentType = found.mime;
  }

  private async flush(last: boolean): Promise<void> {
    if (this.kind === null) this.sniff(last && this.filled < SNIFF_BYTES);
    if (this.filled === 0 && !(last && this.pieces === 0)) return;
    try {
      await this.bucket.put(pieceKey(this.id, this.pieces), this.buffer.subarray(0, this.filled));
    } catch (err) {
      console.error("storing a file piece failed", err);
      this.failed();
    }
    this.pieces++;
    this.filled = 0;
  }

  async finish(): Promise<ReceivedFile> {
    if (this.size === 0) this.refuse("empty");
    await this.flush(true);
    // Written: the piece buffer goes now, so a submission holds one 1 MiB buffer at a time, not one per file.
    this.buffer = new Uint8Array(0);
    await this.hashing.close();
    const sha256 = hex(await this.digest.digest);
    return {
      id: this.id,
      field: this.field,
      name: this.name,
      kind: this.kind ?? "text",
      contentType: this.contentType,
      size: this.size,
      sha256,
      pieces: this.pieces,
    };
  }
}

/**
 * Reads a multipart body into R2 and its text fields, enforcing FILE_LIMITS while reading. Throws a
 * Refusal naming the first file refused (and why), after deleting every piece stored for this body.
 */
export async function receiveMultipart(
  bucket: R2Bucket,
  body: ReadableStream<Uint8Array> | null,
  boundary: string,
  opts: ReceiveOptions,
): Promise<Received> {
  const { t } = translator(opts.locale);
  const size = (n: number) => formatBytes(n, opts.locale);
  const accepted = opts.textFields;
  const textAllowed = typeof accepted === "function" ? accepted : (n: string) => accepted.includes(n);
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  const perGroup = new Map<string, number>();
  let total = 0;
  let textBytes = 0;
  let current: Incoming | null = null;
  let text: { name: string; chunks: Uint8Array[] } | null = null;
  let started: Incoming[] = [];

  const fileRefusal = (name: string, field: string, reason: "empty" | "executable" | "markup" | "unknown"): never => {
    throw new FileRefusal("file_refused", t(`files.${reason}`, { name }), reason, name, field);
  };
  const storageFailed = (): never => {
    throw new FileRefusal("files_unavailable", t("files.unavailable"), "unavailable", null);
  };

  try {
    for await (const event of readMultipart(body, boundary)) {
      if (event.type === "part") {
        const { name: field, filename } = event.part;
        const group = opts.fileGroup(field);
        if (filename !== null && group !== null) {
          // A file input left empty is sent as a part with no name and no bytes.
          if (filename === "") {
            current = null;
            text = null;
            continue;
          }
          const name = cleanFileName(filename);
          const count = (perGroup.get(group) ?? 0) + 1;
          perGroup.set(group, count);
          if (count > FILE_LIMITS.filesPerGroup) {
            const message = t("files.tooMany", { name, max: FILE_LIMITS.filesPerGroup });
            throw new FileRefusal("too_many_files", message, "tooMany", name, field);
          }
          const incoming: Incoming = new Incoming(
            bucket,
            field,
            name,
            (reason) => fileRefusal(name, field, reason),
            storageFailed,
          );
          current = incoming;
          started.push(incoming);
          text = null;
        } else if (filename === null && textAllowed(field)) {
          current = null;
          text = { name: field, chunks: [] };
        } else {
          const message = t("files.unknownField", { name: field.slice(0, 100) });
          throw new Refusal("validation_failed", message, { [field.slice(0, 100)]: message });
        }
      } else if (event.type === "data") {
        if (current) {
          if (current.size + event.bytes.byteLength > FILE_LIMITS.bytesPerFile) {
            const message = t("files.tooBig", { name: current.name, max: size(FILE_LIMITS.bytesPerFile) });
            throw new FileRefusal("file_too_large", message, "tooBig", current.name, current.field);
          }
          total += event.bytes.byteLength;
          if (total > FILE_LIMITS.bytesPerSubmission) {
            const message = t("files.submissionTooBig", { name: current.name, max: size(FILE_LIMITS.bytesPerSubmission) });
            throw new FileRefusal("submission_too_large", message, "submissionTooBig", current.name, current.field);
          }
          await current.write(event.bytes);
        } else if (text) {
          textBytes += event.bytes.byteLength;
          if (textBytes > opts.maxTextBytes) {
            throw new Refusal("body_too_large", t("files.fieldsTooLarge", { max: size(opts.maxTextBytes) }));
          }
          text.chunks.push(event.bytes.slice());
        }
      } else if (current) {
        files.push(await current.finish());
        current = null;
      } else if (text) {
        const value = partText(text.chunks);
        if (value === null) {
          throw new ApiError(400, "invalid_encoding", words("errors.http.encoding"), {
            [text.name]: encodeText(words("errors.http.encodingField")),
          });
        }
        if (!(text.name in fields)) fields[text.name] = value;
        text = null;
      }
    }
  } catch (err) {
    // Every piece written for this body, of finished files and of the one being read.
    await deletePieces(bucket, [...started.map((f) => ({ id: f.id, pieces: f.pieces + 1 }))]);
    started = [];
    throw err;
  }
  return { fields, files };
}

/** The rows of received files, for the caller's batch (with what they belong to). */
export function fileRows(
  files: ReceivedFile[],
  owner: { rmaNumber: string; requestId?: string | null; messageId?: string | null },
  uploadedBy: string,
  now: Date,
): (typeof rmaFiles.$inferInsert)[] {
  return files.map((f) => ({
    id: f.id,
    rmaNumber: owner.rmaNumber,
    requestId: owner.requestId ?? null,
    messageId: owner.messageId ?? null,
    name: f.name,
    contentType: f.contentType,
    size: f.size,
    sha256: f.sha256,
    pieces: f.pieces,
    uploadedBy,
    createdAt: now.toISOString(),
  }));
}
