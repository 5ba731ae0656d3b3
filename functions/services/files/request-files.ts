/**
 * Attachments of a return request (`POST /api/rma-requests` as `multipart/form-data`: the JSON request
 * in a part named `request`, each unit's files in parts named `units.N.files`, N from 0), for the request
 * form and the API. The files are read into R2 under the same limits as a message's (5 per unit, 10 MB
 * each, 25 MB per submission), before the request is decided; their rows are then written by the
 * issuing batch itself (`requestFileRows`, one statement appended to it), so the request and its files
 * land together or not at all: a refused or failed request leaves only pieces without rows, deleted at
 * once on a refusal (`deletePieces`) and by the hourly sweep otherwise.
 *
 * Wiring: routes/rma-requests.ts (the API) and src/lib/request-form.ts (the form without JavaScript) call
 * `receiveRequestFiles`, check each file's unit (`checkFileUnits`), and pass the files to `issueRmas`,
 * whose write batch appends `requestFileRows` with the RMA number issued for each unit; a refusal deletes
 * the pieces (`keepOnlyIfWritten`).
 */
import { ApiError, Refusal } from "../../errors.ts";
import { MAX_BODY_BYTES } from "../../http/body.ts";
import type { Locale } from "../../i18n/index.ts";
import { encodeText, text } from "../../i18n/text.ts";
import { deletePieces, fileRows, type ReceivedFile, receiveMultipart } from "./store.ts";

/** Units of one request at most (the request schema's own limit). */
const MAX_UNITS = 20;

export interface RequestUpload {
  /** The `request` part, parsed as JSON (validated by the caller like a JSON body). */
  request: unknown;
  /** Other text fields (the no-JavaScript form posts its fields one by one). */
  fields: Record<string, string>;
  files: ReceivedFile[];
}

/** `units.3.files` → 3; anything else → null. */
export function unitOfField(field: string): number | null {
  const m = /^units\.(\d{1,2})\.files$/.exec(field);
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isInteger(n) && n < MAX_UNITS ? n : null;
}

export async function receiveRequestFiles(
  bucket: R2Bucket,
  body: ReadableStream<Uint8Array> | null,
  boundary: string,
  locale: Locale,
): Promise<RequestUpload> {
  const { fields, files } = await receiveMultipart(bucket, body, boundary, {
    locale,
    fileGroup: (field) => {
      const unit = unitOfField(field);
      return unit === null ? null : `unit-${unit}`;
    },
    textFields: (name) => unitOfField(name) === null,
    maxTextBytes: MAX_BODY_BYTES,
  });
  const { request: json = null, ...rest } = fields;
  let request: unknown = null;
  if (json !== null) {
    try {
      request = JSON.parse(json) as unknown;
    } catch (err) {
      await deletePieces(bucket, files);
      const detail = err instanceof SyntaxError ? err.message : "too deeply nested";
      throw new ApiError(400, "invalid_json", text("files.requestJson", { detail }), {
        request: encodeText(text("files.requestJsonField")),
      });
    }
  }
  return { request, fields: rest, files };
}

/**
 * The rows of a request's files for the issuing batch: each file goes with the RMA issued for its unit
 * (`rmaNumbers[N]` for `units.N.files`). A file of a unit that got no RMA is an error of the caller.
 */
export function requestFileRows(files: ReceivedFile[], rmaNumbers: readonly string[], requestId: string, now: Date) {
  return files.flatMap((f) => {
    const unit = unitOfField(f.field);
    const rmaNumber = unit === null ? undefined : rmaNumbers[unit];
    if (!rmaNumber) throw new Error(`file ${f.name} belongs to no issued unit (${f.field})`);
    return fileRows([f], { rmaNumber, requestId }, "customer", now);
  });
}

/**
 * Refuses a file sent for a unit the request does not have (`units.7.files` with 2 units), naming the
 * file and its part, with the part as the field.
 */
export function checkFileUnits(files: readonly ReceivedFile[], unitCount: number): void {
  for (const f of files) {
    const unit = unitOfField(f.field);
    if (unit !== null && unit < unitCount) continue;
    const message = text("files.noSuchUnit", {
      name: f.name,
      field: f.field,
      number: unit ?? f.field,
      last: Math.max(unitCount - 1, 0),
    });
    throw new Refusal("validation_failed", message, { [f.field]: encodeText(message) });
  }
}

/** Refuses a multipart request without its `request` part. */
export function requestPartMissing(): Refusal {
  const message = text("files.requestMissing");
  return new Refusal("validation_failed", message, { request: encodeText(message) });
}
