/**
 * Issuing RMAs for a customer's request, in steps a reader can follow (`issuing/`): read what the
 * write depends on (`read.ts`), decide which units get an RMA and how (`decide.ts`), write it all in
 * ONE atomic batch (`write.ts`) with its emails (`emails.ts`).
 *
 * What the write depends on (each unit's model and purchase date in the registry, open RMAs, the
 * idempotency key, the auto-authorise setting) is read first — the full path, two round trips — unless
 * the request states every unit's purchase date (the form fills it in from the live serial check). Then
 * `issueAsStated` tries ONE round trip: it takes the stated facts as a prediction and lets the write
 * verify them. Why this is safe: a guard statement fails the batch if the registry or the setting says
 * otherwise, and the database's unique indexes refuse a second open RMA for a serial or a reused key;
 * a batch refused that way rolls back whole, and the request takes the full path, which answers exactly
 * as if the shortcut had not been tried.
 */
import type { Db } from "../../../db/client.ts";
import { dateOf } from "../../domain/dates.ts";
import type { RmaRequestInput } from "../../domain/request-input.ts";
import { normalizeSerial } from "../../domain/serial.ts";
import { checkUnits } from "../../domain/unit-checks.ts";
import type { AppEnv } from "../../env.ts";
import { matchError } from "../../errors.ts";
import type { LinkContext } from "../../links.ts";
import type { ReceivedFile } from "../files/store.ts";
import { autoAuthorizeHint, type SettingHint } from "../staff/settings.ts";
import { batchGuardFailed } from "./batch-guard.ts";
import { decideUnits, statedRegistry, unitsRefused } from "./issuing/decide.ts";
import { limitRefusal, requestLimits } from "./issuing/limits.ts";
import { type IssueResult, readContext, replay } from "./issuing/read.ts";
import { registryGuard, type WriteOptions, writeRequest } from "./issuing/write.ts";

export type { IssuedRma, IssueResult } from "./issuing/read.ts";

export interface IssueOptions {
  links: LinkContext;
  idempotencyKey?: string | undefined;
  locale?: string;
  now?: Date;
  /** The auto-authorise setting as last read, predicted by the one-round-trip path (this isolate's by default). */
  autoAuthorize?: SettingHint;
  /** The client's address, for the per-address limit ("unknown" when there is none). */
  clientAddress?: string;
  /**
   * Files already stored in R2 for the units (`units.N.files`, N the unit's index in `input.units`): their
   * rows are written in the request's own batch, each with its unit's RMA.
   */
  files?: ReceivedFile[];
}

const MAX_NUMBER_ATTEMPTS = 4;

/**
 * A stable hash of the validated request, so a reused idempotency key with another body is caught. The
 * files (by unit, name and SHA-256) count too when there are any; a request without files hashes as before.
 */
async function bodyHash(input: RmaRequestInput, files: readonly ReceivedFile[]): Promise<string> {
  const hashed = files.length === 0 ? input : { input, files: files.map((f) => [f.field, f.name, f.sha256]).sort() };
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(hashed)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const constraintOf = (err: unknown): string | null => matchError(err, /UNIQUE constraint failed: ([\w.]+)/)?.[1] ?? null;

/** Constraints the one-round-trip write can meet when what it took as stated was not so. */
const STATED_FACTS_WRONG = new Set(["rmas.serial_number", "rmas.rma_number"]);

function statedFactsWrong(err: unknown): boolean {
  const constraint = constraintOf(err);
  if (constraint) return STATED_FACTS_WRONG.has(constraint);
  return batchGuardFailed(err);
}

interface Issuing {
  db: Db;
  env: AppEnv;
  input: RmaRequestInput;
  write: WriteOptions;
  idempotencyKey: string | undefined;
  hint: SettingHint;
}

/** A write refused by a reused idempotency key answers as the first request did. */
async function replayOrThrow(job: Issuing, err: unknown): Promise<IssueResult> {
  if (constraintOf(err) === "return_requests.idempotency_key" && job.idempotencyKey) {
    const previous = await replay(job.db, job.idempotencyKey, job.write.hash);
    if (previous) return previous;
  }
  throw err;
}

/**
 * The one-round-trip path: the units as stated, the setting as last seen, verified by the write itself.
 * Null when it does not apply (a unit without purchase date, or units the stated facts already refuse)
 * or when the database said otherwise: then the full path decides.
 */
async function issueAsStated(job: Issuing): Promise<IssueResult | null> {
  const stated = statedRegistry(job.input);
  if (!stated) return null;
  const { now } = job.write;
  const checks = checkUnits(job.input.units, {
    registry: stated,
    openRmas: new Map(),
    email: job.input.contact.email,
    knownModels: new Set(),
    requestDate: dateOf(now),
  });
  if (!checks.ok) return null;
  const autoAuthorize = job.hint.value;
  try {
    const issued = decideUnits(checks.units, { autoAuthorize, now });
    return await writeRequest(job.db, job.env, job.input, issued, [], {
      ...job.write,
      guard: registryGuard(job.db, stated, autoAuthorize),
    });
  } catch (err) {
    if (!statedFactsWrong(err)) return replayOrThrow(job, err);
    return null; // Rolled back whole: read what the database says and decide from that.
  }
}

/** The full path: read, decide, write (drawing new numbers when a random one was taken). */
async function issueAfterReading(job: Issuing): Promise<IssueResult> {
  const { db, input } = job;
  const { now } = job.write;
  const serials = [...new Set(input.units.map((u) => normalizeSerial(u.serialNumber)))];
  const ctx = await readContext(db, serials, job.idempotencyKey, now);
  job.hint.value = ctx.autoAuthorize;
  if (job.idempotencyKey && ctx.keyUsed) {
    const previous = await replay(db, job.idempotencyKey, job.write.hash);
    if (previous) return previous;
  }
  const checks = checkUnits(input.units, { ...ctx, email: input.contact.email, requestDate: dateOf(now) });
  if (!checks.ok) throw unitsRefused(checks.fields);

  for (let attempt = 1; ; attempt++) {
    try {
      const issued = decideUnits(checks.units, { autoAuthorize: ctx.autoAuthorize, now });
      return await writeRequest(db, job.env, input, issued, ctx.lapsed, job.write);
    } catch (err) {
      const constraint = constraintOf(err);
      if (constraint === "rmas.rma_number" && attempt < MAX_NUMBER_ATTEMPTS) continue; // a random number was taken: draw again
      if (batchGuardFailed(err)) throw (await limitRefusal(db, job.write.limits)) ?? err; // the only guard here
      if (constraint === "rmas.serial_number") {
        // Another request took one of these serials between our read and our write.
        const fresh = await readContext(db, serials, undefined, now);
        const again = checkUnits(input.units, { ...fresh, email: input.contact.email, requestDate: dateOf(now) });
        if (!again.ok) throw unitsRefused(again.fields);
      }
      return replayOrThrow(job, err);
    }
  }
}

export async function issueRmas(db: Db, env: AppEnv, input: RmaRequestInput, opts: IssueOptions): Promise<IssueResult> {
  const now = opts.now ?? new Date();
  const limits = requestLimits(env, { address: opts.clientAddress ?? "unknown", email: input.contact.email, now });
  const job: Issuing = {
    db,
    env,
    input,
    idempotencyKey: opts.idempotencyKey,
    hint: opts.autoAuthorize ?? autoAuthorizeHint,
    write: {
      links: opts.links,
      idempotencyKey: opts.idempotencyKey,
      locale: opts.locale,
      hash: await bodyHash(input, opts.files ?? []),
      now,
      limits,
      files: opts.files ?? [],
    },
  };
  return (await issueAsStated(job)) ?? issueAfterReading(job);
}
