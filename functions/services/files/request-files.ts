/**
 * Attachments of a return request (`POST /api/rma-requests` as `multipart/form-data`: the JSON request
 * in a part named `request`, each unit's files in parts named `units.N.files`, N from 0), for the request
 * form and the API. The files are read into R2 under the same limits as a message's (5 per unit, 10 MB
 * each, 25 MB per submission), before the request is decided; their rows are then written by the
 * issuing batch itself (`requestFileRows`, one statement appended to it), so the request and its files
 * land together or not at all: a refused or failed request leaves only pieces without rows, deleted at
 * once on a refusal (`deletePieces`) and by the hourly sweep otherwise.
 *
 * Wiring (next wave): routes/rma-requests.ts calls `receiveRequestFiles` for a multipart body, parses
 * `request` as it parses a JSON body, and services/rma/issuing adds `requestFileRows` to its write batch
 * with the RMA number issued for each unit; on any refusal it calls `deletePieces(bucket, files)`.
 */
import { ApiError } from "../../errors.ts";
import { MAX_BODY_BYTES } from "../../http/body.ts";
import type { Locale } from "../../i18n/index.ts";
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
      throw new ApiError(400, "invalid_json", `The part named request is not valid JSON (${detail}).`, {
        request: "Malformed JSON.",
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
