/**
 * "Nothing half-written", checked with SQL joins straight against sqld: every stored request has its
 * RMAs, every RMA its first event, every request its two outbox emails (receipt naming each RMA
 * number, staff notice), and nothing points at a request that is not there.
 */
import type { TestDatabase } from "./database.ts";

export interface Integrity {
  requests: number;
  rmas: number;
  events: number;
  emails: number;
  requestsWithoutRmas: number;
  rmasWithoutFirstEvent: number;
  requestsWithoutBothEmails: number;
  rmasMissingFromReceipt: number;
  orphans: number;
}

export async function integrity(db: Pick<TestDatabase, "query">): Promise<Integrity> {
  const [row] = await db.query<Integrity>(`
    SELECT
      (SELECT count(*) FROM return_requests) AS requests,
      (SELECT count(*) FROM rmas) AS rmas,
      (SELECT count(*) FROM rma_events) AS events,
      (SELECT count(*) FROM outbox) AS emails,
      (SELECT count(*) FROM return_requests r
        WHERE NOT EXISTS (SELECT 1 FROM rmas m WHERE m.request_id = r.id)) AS requestsWithoutRmas,
      (SELECT count(*) FROM rmas m
        WHERE NOT EXISTS (SELECT 1 FROM rma_events e WHERE e.rma_number = m.rma_number AND e.to_status = 'requested'))
        AS rmasWithoutFirstEvent,
      (SELECT count(*) FROM return_requests r
        WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.request_id = r.id AND o.dedupe_key = 'receipt:' || r.id)
           OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.request_id = r.id AND o.dedupe_key = 'staff-new:' || r.id))
        AS requestsWithoutBothEmails,
      (SELECT count(*) FROM rmas m
        LEFT JOIN outbox o ON o.request_id = m.request_id AND o.dedupe_key = 'receipt:' || m.request_id
        WHERE o.id IS NULL OR instr(o.text, m.rma_number) = 0) AS rmasMissingFromReceipt,
      (SELECT count(*) FROM rmas m WHERE NOT EXISTS (SELECT 1 FROM return_requests r WHERE r.id = m.request_id))
      + (SELECT count(*) FROM rma_events e WHERE NOT EXISTS (SELECT 1 FROM rmas m WHERE m.rma_number = e.rma_number))
      + (SELECT count(*) FROM outbox o
          WHERE o.request_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM return_requests r WHERE r.id = o.request_id))
        AS orphans
  `);
  if (!row) throw new Error("integrity query returned nothing");
  return row;
}

/** The counts that must all be zero for nothing to be half-written. */
export function defects(i: Integrity): Record<string, number> {
  return {
    requestsWithoutRmas: i.requestsWithoutRmas,
    rmasWithoutFirstEvent: i.rmasWithoutFirstEvent,
    requestsWithoutBothEmails: i.requestsWithoutBothEmails,
    rmasMissingFromReceipt: i.rmasMissingFromReceipt,
    orphans: i.orphans,
  };
}

export const WHOLE = {
  requestsWithoutRmas: 0,
  rmasWithoutFirstEvent: 0,
  requestsWithoutBothEmails: 0,
  rmasMissingFromReceipt: 0,
  orphans: 0,
};

/** Row counts of the tables a customer's request can write to (to compare before and after refused input). */
export async function rowCounts(db: Pick<TestDatabase, "query">): Promise<Record<string, number>> {
  const [row] = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM return_requests) AS return_requests, (SELECT count(*) FROM rmas) AS rmas,
            (SELECT count(*) FROM rma_events) AS rma_events, (SELECT count(*) FROM outbox) AS outbox,
            (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM staff_users) AS staff_users,
            (SELECT count(*) FROM staff_sessions) AS staff_sessions, (SELECT count(*) FROM settings) AS settings`,
  );
  return { ...row };
}
