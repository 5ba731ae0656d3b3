/**
 * The request form without JavaScript: the page posts to itself, and this turns the POST into either
 * a redirect to the confirmation page or the form again with every value kept and each message at its field.
 * The form is `multipart/form-data`: each unit's files (`units.N.files`) are stored while they arrive and
 * written with the request in its batch (as `POST /api/rma-requests` does); a refused file, or any refusal
 * after the files were stored, deletes them and the form comes back saying to choose them again.
 */

import type { Db } from "@/db/client.ts";
import { dateOf } from "@/functions/domain/dates.ts";
import { VALIDATION_TEXT } from "@/functions/domain/input.ts";
import { checkIdempotencyKey, formToRequest, MAX_UNITS, parseRmaRequest, postedUnits } from "@/functions/domain/request-input.ts";
import { isWellFormedSerial, normalizeSerial } from "@/functions/domain/serial.ts";
import { unknownSerialMessage } from "@/functions/domain/unit-checks.ts";
import { describeRegisteredUnit, describeUnknownUnit, type UnitVerdict } from "@/functions/domain/verdict-text.ts";
import { warrantyVerdict } from "@/functions/domain/warranty.ts";
import { deliverLater } from "@/functions/email/outbox.ts";
import type { AppEnv } from "@/functions/env.ts";
import { ApiError, asApiError } from "@/functions/errors.ts";
import { clientAddress } from "@/functions/http/client.ts";
import { multipartBoundary } from "@/functions/http/multipart.ts";
import { requireHuman, TURNSTILE_FIELD } from "@/functions/http/turnstile.ts";
import type { Locale } from "@/functions/i18n/index.ts";
import { localizedPath } from "@/functions/i18n/paths.ts";
import { say, sayAll } from "@/functions/i18n/text.ts";
import { linkContext, requestPath } from "@/functions/links.ts";
import { accountPrefill } from "@/functions/services/account/prefill.ts";
import { checkFileUnits, unitOfField } from "@/functions/services/files/request-files.ts";
import { deletePieces, type ReceivedFile } from "@/functions/services/files/store.ts";
import { registryWithRepairsFrom, registryWithRepairsStatement } from "@/functions/services/insight/repair-warranty.ts";
import { registryModelsStatement } from "@/functions/services/registry/models.ts";
import { openWithToken } from "@/functions/services/rma/customer-access.ts";
import { issueRmas } from "@/functions/services/rma/issue.ts";
import { countSerialChecks, serialCheckLimit, serialCheckRefusal } from "@/functions/services/rma/issuing/limits.ts";
import { verdictWords } from "./customer-page.ts";
import { readPageForm, readPageUpload } from "./page-form.ts";

export interface UnitFormValues {
  model: string;
  serialNumber: string;
  purchaseDate: string;
  invoiceNumber: string;
  issueDescription: string;
}

export interface FormValues {
  contact: { name: string; company: string; email: string; phone: string; country: string };
  returnAddress: { street: string; postalCode: string; city: string; country: string };
  units: UnitFormValues[];
  acceptTerms: boolean;
}

export interface FormState {
  values: FormValues;
  errors: Record<string, string>;
  message?: string;
  verdicts: (UnitVerdict | undefined)[];
  registered: boolean[];
  idempotencyKey: string;
  /** Files had been chosen and the form came back: they must be chosen again (said at each unit's file field). */
  chooseFilesAgain?: boolean;
}

export const emptyUnit = (): UnitFormValues => ({
  model: "",
  serialNumber: "",
  purchaseDate: "",
  invoiceNumber: "",
  issueDescription: "",
});

export function emptyForm(): FormState {
  return {
    values: {
      contact: { name: "", company: "", email: "", phone: "", country: "" },
      returnAddress: { street: "", postalCode: "", city: "", country: "" },
      units: [emptyUnit()],
      acceptTerms: false,
    },
    errors: {},
    verdicts: [],
    registered: [],
    idempotencyKey: crypto.randomUUID(),
  };
}

const s = (v: unknown) => (typeof v === "string" ? v : "");

function valuesFrom(form: Record<string, string>): FormValues {
  const raw = formToRequest(form) as {
    contact: Record<string, unknown>;
    returnAddress: Record<string, unknown>;
    units: Record<string, unknown>[];
    acceptTerms?: boolean;
  };
  return {
    contact: {
      name: s(raw.contact["name"]),
      company: s(raw.contact["company"]),
      email: s(raw.contact["email"]),
      phone: s(raw.contact["phone"]),
      country: s(raw.contact["country"]),
    },
    returnAddress: {
      street: s(raw.returnAddress["street"]),
      postalCode: s(raw.returnAddress["postalCode"]),
      city: s(raw.returnAddress["city"]),
      country: s(raw.returnAddress["country"]),
    },
    units: raw.units.map((u) => ({
      model: s(u["model"]),
      serialNumber: s(u["serialNumber"]),
      purchaseDate: s(u["purchaseDate"]),
      invoiceNumber: s(u["invoiceNumber"]),
      issueDescription: s(u["issueDescription"]),
    })),
    acceptTerms: raw.acceptTerms === true,
  };
}

/** Who is checking: the serial checks are counted per client address, under the limit of `GET /api/serials/{serial}`. */
interface Checker {
  env: AppEnv;
  address: string;
}

/**
 * Looks the typed serials up once, to show each unit's verdict and lock registered purchase dates. Each
 * serial looked up counts as one check under the per-address serial-check limit (as the API counts them),
 * in the same round trip as the read; past the limit nothing is shown and the refusal is returned. A form
 * prefilled from a signed link (`checker` null) is not counted.
 */
async function checkSerials(
  db: Db,
  state: FormState,
  today: string,
  checker: Checker | null,
  locale: Locale,
): Promise<ApiError | null> {
  const serials = [...new Set(state.values.units.map((u) => normalizeSerial(u.serialNumber)).filter(isWellFormedSerial))];
  if (serials.length === 0) return null;
  // The registry rows with their past repairs and the repair warranty's months: one statement.
  const query = registryWithRepairsStatement(db, serials);
  const limit = checker && serialCheckLimit(checker.env, new Date());
  let rows: Awaited<typeof query>;
  if (checker && limit) {
    const counted = await countSerialChecks(db, { address: checker.address, rule: limit, checks: serials.length }, query);
    if (!counted.verdict.allowed) return serialCheckRefusal(counted.verdict.retryAfterSeconds);
    rows = counted.rows;
  } else {
    rows = await query;
  }
  const { registry, repairs } = registryWithRepairsFrom(rows);
  const words = verdictWords(locale);
  state.values.units.forEach((u, i) => {
    const serial = normalizeSerial(u.serialNumber);
    if (!serial) return;
    const record = registry.get(serial);
    if (record) {
      const past = { past: repairs.past.get(serial) ?? [], months: repairs.months };
      const warranty = warrantyVerdict(record.purchaseDate, today, past);
      // A unit only a repair's warranty covers is sent without its purchase date, so issuing reads its past
      // repairs (the one-round-trip path, which takes stated dates as the facts, does not read them).
      u.purchaseDate = warranty.repair ? "" : record.purchaseDate;
      state.registered[i] = true;
      state.verdicts[i] = describeRegisteredUnit({ ...record, warranty }, words);
    } else if (isWellFormedSerial(serial)) {
      state.verdicts[i] = describeUnknownUnit(unknownSerialMessage(serial, locale), words);
    }
  });
  return null;
}

export async function modelsInRegistry(db: Db): Promise<string[]> {
  const rows = await registryModelsStatement(db);
  return rows.map((r) => r.model);
}

export type FormOutcome = { redirect: string } | { state: FormState; status: number };

/** What the units' file inputs accept (the types are checked again by content when the files arrive). */
export const FILE_ACCEPT =
  ".jpg,.jpeg,.png,.webp,.pdf,.txt,.log,.csv,.json,.xml,.zip,image/jpeg,image/png,image/webp,application/pdf,text/plain,application/zip";

/** `units.N.files` as posted → `units.<its place>.files` (the form renumbers units as formToRequest does). */
function unitFieldOf(field: string, places: number[]): string {
  const n = unitOfField(field);
  const place = n === null ? -1 : places.indexOf(n);
  return place < 0 ? field : `units.${place}.files`;
}

/** What the form brought: text fields, files already in R2 (for the units' places), or a refusal to show. */
interface Posted {
  form: Record<string, string>;
  files: ReceivedFile[];
  bucket: R2Bucket | null;
  /** Files were chosen: they are not kept if the form comes back. */
  hadFiles: boolean;
}

export async function handleRequestForm(
  request: Request,
  db: Db,
  env: AppEnv,
  waitUntil: (p: Promise<unknown>) => void,
  locale: Locale,
): Promise<FormOutcome> {
  const boundary = multipartBoundary(request.headers.get("content-type"));
  if (!boundary || !env.FILES) {
    const read = await readPageForm(request);
    if (!read.ok) {
      const state = emptyForm();
      state.message = say(locale, read.text);
      return { state, status: read.status };
    }
    return decide(
      { form: read.fields, files: [], bucket: null, hadFiles: read.files.size > 0 },
      request,
      db,
      env,
      waitUntil,
      locale,
    );
  }
  const bucket = env.FILES;
  const upload = await readPageUpload(request, bucket, boundary, locale);
  const places = postedUnits(upload.fields);
  if (upload.refused) {
    // The form comes back with every value kept and the refusal at the unit's file field.
    const refused = upload.refused;
    const state = stateOf(upload.fields);
    state.message = refused.messageIn(locale);
    for (const [field, message] of Object.entries(refused.fieldsIn(locale) ?? {})) {
      state.errors[unitOfField(field) === null ? field : unitFieldOf(field, places)] = message;
    }
    state.chooseFilesAgain = true;
    await checkSerials(db, state, dateOf(new Date()), { env, address: clientAddress(request.headers) }, locale);
    return { state, status: refused.status };
  }
  const files = upload.files.map((f) => ({ ...f, field: unitFieldOf(f.field, places) }));
  let kept = false;
  try {
    const outcome = await decide(
      { form: upload.fields, files, bucket, hadFiles: files.length > 0 },
      request,
      db,
      env,
      waitUntil,
      locale,
      () => {
        kept = true;
      },
    );
    return outcome;
  } catch (err) {
    // A failed write (not a refusal) may have stored its rows after all: its pieces are left to the hourly sweep.
    kept = true;
    throw err;
  } finally {
    if (!kept && files.length > 0) await deletePieces(bucket, files);
  }
}

function stateOf(form: Record<string, string>): FormState {
  return {
    ...emptyForm(),
    values: valuesFrom(form),
    idempotencyKey: s(form["idempotencyKey"]) || crypto.randomUUID(),
  };
}

/** The request form's post, its files (if any) already stored: `written()` is called once their rows are. */
async function decide(
  posted: Posted,
  request: Request,
  db: Db,
  env: AppEnv,
  waitUntil: (p: Promise<unknown>) => void,
  locale: Locale,
  written: () => void = () => {},
): Promise<FormOutcome> {
  const { form, files } = posted;
  const state = stateOf(form);
  // Files are not kept when the form comes back (a browser cannot be given them again).
  state.chooseFilesAgain = posted.hadFiles;
  const intent = s(form["intent"]) || "submit";
  const today = dateOf(new Date());
  const checker: Checker = { env, address: clientAddress(request.headers) };

  if (intent === "add-unit" || intent.startsWith("remove-")) {
    if (intent === "add-unit" && state.values.units.length < MAX_UNITS) state.values.units.push(emptyUnit());
    if (intent.startsWith("remove-")) state.values.units.splice(Number(intent.slice(7)), 1);
    if (state.values.units.length === 0) state.values.units.push(emptyUnit());
    // Past the serial-check limit the units come back without their verdicts: adding a unit still works.
    await checkSerials(db, state, today, checker, locale);
    return { state, status: 200 };
  }
  if (intent === "check") {
    const refused = await checkSerials(db, state, today, checker, locale);
    if (refused) state.message = refused.messageIn(locale);
    return { state, status: refused ? refused.status : 200 };
  }

  // The form's one-time key is checked as the API checks it; one that is not the page's own is refused.
  try {
    checkIdempotencyKey(state.idempotencyKey);
  } catch (err) {
    const refused = asApiError(err);
    state.message = refused.messageIn(locale);
    state.idempotencyKey = crypto.randomUUID();
    return { state, status: refused.status };
  }
  // The serials' verdicts are read only when the form comes back: a request that is issued does not wait for them.
  // Turnstile (when on) before anything is read or written; the form comes back as it was sent.
  try {
    await requireHuman(env, form[TURNSTILE_FIELD], clientAddress(request.headers));
  } catch (err) {
    const refused = asApiError(err);
    state.message = refused.messageIn(locale);
    return { state, status: refused.status };
  }
  const parsed = parseRmaRequest(formToRequest(form), locale);
  if (!parsed.ok) {
    state.errors = sayAll(locale, parsed.fields);
    state.message = say(locale, VALIDATION_TEXT);
    await checkSerials(db, state, today, checker, locale);
    return { state, status: 422 };
  }
  try {
    checkFileUnits(files, parsed.data.units.length);
    const links = linkContext(env, request.url);
    const result = await issueRmas(db, env, parsed.data, {
      links,
      idempotencyKey: state.idempotencyKey,
      clientAddress: clientAddress(request.headers),
      locale,
      files,
    });
    // A replay answers with the first request's files; these are not needed then.
    if (!result.replayed) written();
    deliverLater(waitUntil, db, env, result.emailIds);
    return { redirect: localizedPath(locale, await requestPath(links.secret, result.requestId)) };
  } catch (err) {
    if (!(err instanceof ApiError) && files.length > 0) written(); // left to the hourly sweep: see handleRequestForm
    const apiError = asApiError(err);
    state.errors = apiError.fieldsIn(locale) ?? {};
    state.message = apiError.messageIn(locale);
    if (apiError.status !== 503) await checkSerials(db, state, today, checker, locale);
    return { state, status: apiError.status };
  }
}

/**
 * "Request again" from an expired RMA's page: the form opens with the same unit and contact filled in.
 * The signed link is the credential; a bad one just gives the empty form.
 */
export async function prefillFromRma(
  request: Request,
  db: Db,
  env: AppEnv,
  rmaNumber: string,
  token: string | null,
  locale: Locale,
): Promise<FormState | null> {
  try {
    const { rma, request: req } = await openWithToken(db, {
      rmaNumber,
      token,
      secret: linkContext(env, request.url).secret,
      clientAddress: clientAddress(request.headers),
      now: new Date(),
    });
    const state = emptyForm();
    state.values.contact = {
      name: req.contactName,
      company: req.company ?? "",
      email: req.email,
      phone: req.phone,
      country: req.country,
    };
    state.values.returnAddress = {
      street: req.returnStreet,
      postalCode: req.returnPostalCode,
      city: req.returnCity,
      country: req.returnCountry,
    };
    state.values.units = [
      {
        model: rma.model,
        serialNumber: rma.serialNumber,
        purchaseDate: rma.purchaseDate,
        invoiceNumber: rma.invoiceNumber ?? "",
        issueDescription: rma.issueDescription,
      },
    ];
    await checkSerials(db, state, dateOf(new Date()), null, locale);
    return state;
  } catch (err) {
    if (err instanceof ApiError) return null;
    throw err;
  }
}

/**
 * "New request" and "Request again" from My returns (`/rma/new?from=account[&unit=RMA-…]`): the signed-in
 * customer's last contact and return address, and the unit of that expired or closed RMA; null without a
 * customer session.
 */
export async function prefillFromAccount(request: Request, db: Db, locale: Locale): Promise<FormState | null> {
  const values = await accountPrefill(db, request);
  if (!values) return null;
  const state = emptyForm();
  state.values.contact = values.contact;
  state.values.returnAddress = values.returnAddress;
  if (values.units.length > 0) {
    state.values.units = values.units;
    await checkSerials(db, state, dateOf(new Date()), null, locale);
  }
  return state;
}
