/**
 * A message on an RMA, from the customer or from staff, with the files received for it: the message,
 * its file rows and the email to the other side are written in one batch, so they land together or
 * not at all (files already in R2 without rows are then swept by the hourly job). The customer may
 * write until the RMA has ended (closed, cancelled, rejected or expired); staff may always answer.
 */
import type { Db } from "../../../db/client.ts";
import { rmaFiles, rmaMessages } from "../../../db/schema/files.ts";
import { outbox } from "../../../db/schema.ts";
import { hit } from "../../auth/rate-limit.ts";
import { effectiveStatus } from "../../domain/expiry.ts";
import { OPEN_STATUSES } from "../../domain/status.ts";
import { type OutgoingEmail, outboxRow } from "../../email/outbox.ts";
import { type AppEnv, staffAddress } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { type Locale, toLocale, translator } from "../../i18n/index.ts";
import { adminRmaUrl, type LinkContext, rmaUrl } from "../../links.ts";
import { FileRefusal, fileRows, filesBucket, keepOnlyIfWritten, type ReceivedFile, receiveMultipart } from "../files/store.ts";
import type { RmaRecord } from "../rma/view.ts";
import { messageToCustomer, messageToStaff } from "./email.ts";

export const MAX_MESSAGE_CHARS = 5000;
/** The text fields of a multipart message (body, locale) together: a body in 4-byte characters and room to spare. */
export const MAX_MESSAGE_FIELD_BYTES = 4 * MAX_MESSAGE_CHARS + 2048;

export type Author = { kind: "customer" } | { kind: "staff"; email: string };

export const authorName = (a: Author) => (a.kind === "customer" ? "customer" : `staff:${a.email}`);

/** The message's text, checked: present (unless files are sent) and not too long. */
export function checkBody(raw: unknown, hasFiles: boolean, locale: Locale): string {
  const { t } = translator(locale);
  // Line breaks kept (as \n) and tabs; other control characters dropped.
  const body =
    typeof raw === "string"
      ? raw
          .replace(/\r\n?/g, "\n")
          // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
          .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
          .trim()
      : "";
  if (body.length > MAX_MESSAGE_CHARS) {
    throw new FileRefusal("validation_failed", t("files.bodyTooLong", { max: MAX_MESSAGE_CHARS }), "bodyTooLong", null, "body");
  }
  if (body === "" && !hasFiles) {
    throw new FileRefusal("validation_failed", t("files.bodyRequired", { max: MAX_MESSAGE_CHARS }), "bodyRequired", null, "body");
  }
  return body;
}

/** Customer messages per RMA per hour: a stolen or shared link cannot flood the desk's mailbox. */
export const CUSTOMER_MESSAGE_LIMIT = { limit: 30, windowSeconds: 60 * 60 } as const;

/**
 * Refuses a customer's message on an RMA that has ended, or past CUSTOMER_MESSAGE_LIMIT (counted here,
 * one statement): called before the message's files are read when the link is in the address.
 */
export async function checkCustomerMayWrite(
  db: Db,
  record: RmaRecord,
  env: Pick<AppEnv, "STAFF_EMAIL">,
  locale: Locale,
  now: Date,
): Promise<void> {
  const { t } = translator(locale);
  const status = effectiveStatus(record.rma, now);
  if (!(OPEN_STATUSES as readonly string[]).includes(status)) {
    throw new Refusal("rma_closed", t("files.rmaClosed", { email: staffAddress(env) }));
  }
  const verdict = await hit(db, `messages:rma:${record.rma.rmaNumber}`, { ...CUSTOMER_MESSAGE_LIMIT, now });
  if (!verdict.allowed) {
    const err = new Refusal(
      "too_many_requests",
      t("files.tooManyMessages", { minutes: Math.ceil(verdict.retryAfterSeconds / 60), email: staffAddress(env) }),
    );
    err.retryAfterSeconds = verdict.retryAfterSeconds;
    throw err;
  }
}

export interface PostedMessage {
  id: string;
  createdAt: string;
  files: { id: string; name: string; contentType: string; size: number }[];
  emailIds: string[];
}

export async function postMessage(
  db: Db,
  env: AppEnv,
  input: { record: RmaRecord; author: Author; body: string; files: ReceivedFile[]; links: LinkContext; now: Date },
): Promise<PostedMessage> {
  const { record, author, now } = input;
  const { rma, request } = record;
  const id = crypto.randomUUID();
  const createdAt = now.toISOString();
  const common = {
    rmaNumber: rma.rmaNumber,
    model: rma.model,
    serialNumber: rma.serialNumber,
    name: request.contactName,
    email: request.email,
    body: input.body,
    files: input.files.length,
  };
  const email: OutgoingEmail =
    author.kind === "customer"
      ? {
          to: staffAddress(env),
          rmaNumber: rma.rmaNumber,
          ...messageToStaff({ ...common, locale: "en", link: adminRmaUrl(input.links, rma.rmaNumber) }),
        }
      : {
          to: request.email,
          rmaNumber: rma.rmaNumber,
          ...messageToCustomer({ ...common, locale: toLocale(request.locale), link: await rmaUrl(input.links, rma.rmaNumber) }),
        };
  const row = outboxRow(email, env);
  const files = fileRows(input.files, { rmaNumber: rma.rmaNumber, messageId: id }, authorName(author), now);
  await db.batch([
    db.insert(rmaMessages).values({ id, rmaNumber: rma.rmaNumber, author: authorName(author), body: input.body, createdAt }),
    ...(files.length > 0 ? [db.insert(rmaFiles).values(files)] : []),
    db.insert(outbox).values(row),
  ]);
  return {
    id,
    createdAt,
    files: input.files.map((f) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.size })),
    emailIds: [row.id],
  };
}

/**
 * A staff reply posted as multipart (the staff API and the staff RMA page's form): its files go to R2 as
 * they stream, under the files' limits, and stay only if the message is written; refusals in `locale`.
 */
export async function postStaffReply(
  db: Db,
  env: AppEnv,
  input: {
    record: RmaRecord;
    staffEmail: string;
    stream: ReadableStream<Uint8Array> | null;
    boundary: string;
    locale: Locale;
    links: LinkContext;
    now: Date;
  },
): Promise<PostedMessage> {
  const bucket = filesBucket(env, input.locale);
  const { fields, files } = await receiveMultipart(bucket, input.stream, input.boundary, {
    locale: input.locale,
    fileGroup: (field) => (field === "files" ? "message" : null),
    textFields: ["body", "locale"],
    maxTextBytes: MAX_MESSAGE_FIELD_BYTES,
  });
  return keepOnlyIfWritten(bucket, files, () =>
    postMessage(db, env, {
      record: input.record,
      author: { kind: "staff", email: input.staffEmail },
      body: checkBody(fields["body"], files.length > 0, input.locale),
      files,
      links: input.links,
      now: input.now,
    }),
  );
}
