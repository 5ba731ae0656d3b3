/**
 * @deprecated The emails have one renderer now, `letters.ts` (every kind, in the request's locale); this
 * module only re-exports it for the imports not yet moved (pages, other services). Import from
 * `./letters.ts`.
 */
export {
  cancellationNotPossible,
  cancellationRequested,
  cancelledByCustomer,
  type EmailContent,
  type EmailUnit,
  expiredNotice,
  expiryReminder,
  layout,
  type RmaEmailContext,
  requestReceipt,
  staffCancellationNotice,
  staffNewRequest,
  WARRANTY_NOTE,
  warrantyLine,
  warrantyNote,
} from "./letters.ts";
