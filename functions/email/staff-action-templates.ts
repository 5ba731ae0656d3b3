/**
 * @deprecated The emails have one renderer now, `letters.ts` (every kind, in the request's locale); this
 * module only re-exports it for the imports not yet moved (the workshop service, tests). Import from
 * `./letters.ts`.
 */
export {
  type AuthorizedUnit,
  authorizationEmail,
  cancellationGrantedEmail,
  cancellationRefusedEmail,
  cancelledByStaffEmail,
  type MailUnit,
  quoteAnsweredStaffEmail,
  quoteEmail,
  receivedEmail,
  rejectionEmail,
  repairFinishedEmail,
  shippedEmail,
  warrantyConfirmedEmail,
  warrantyRefusedEmail,
} from "./letters.ts";
