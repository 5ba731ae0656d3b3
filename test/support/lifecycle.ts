/** Moving test RMAs along the lifecycle, straight through the services or through the staff API. */
import { createDb } from "../../db/client.ts";
import { validUntilFrom } from "../../functions/domain/expiry.ts";
import { changeRma as moveRma } from "../../functions/services/rma/change.ts";

/** Authorises an RMA as of `daysAgo` days ago: its 30 days run from then. */
export async function authorizeDaysAgo(databaseUrl: string, rmaNumber: string, daysAgo: number): Promise<void> {
  const authorizedAt = new Date(Date.now() - daysAgo * 86_400_000);
  await moveRma(createDb({ DATABASE_URL: databaseUrl }), {
    rmaNumber,
    from: "requested",
    to: "authorized",
    actor: "staff:test@alkeria.example",
    set: { validUntil: validUntilFrom(authorizedAt) },
    env: {},
    now: authorizedAt,
  });
}

/**
 * Takes an RMA to "quoted" through the built Worker's staff API, as the desk would: authorise (when
 * still requested), receive, refuse the warranty (when covered), quote. `staffCookie` is a signed-in session.
 */
export async function quoteThroughDesk(baseUrl: string, staffCookie: string, rmaNumber: string): Promise<void> {
  const headers = { "content-type": "application/json", origin: baseUrl, cookie: staffCookie };
  const current = async () => {
    const res = await fetch(`${baseUrl}/api/admin/rmas/${rmaNumber}`, { headers });
    return ((await res.json()) as { rma: { version: number; status: string; warrantyCovered: boolean } }).rma;
  };
  const { status, warrantyCovered } = await current();
  const steps: [string, Record<string, unknown>][] = [
    ...(status === "requested" ? [["authorize", {}] as [string, Record<string, unknown>]] : []),
    ["receive", {}],
    ...(warrantyCovered
      ? [["refuse-warranty", { reason: "Water damage inside the housing." }] as [string, Record<string, unknown>]]
      : []),
    ["quote", { labourCents: 12_000, partsAndSuppliesCents: 4_500, handlingFeeCents: 0, returnShippingCents: 2_500 }],
  ];
  for (const [action, body] of steps) {
    const res = await fetch(`${baseUrl}/api/admin/rmas/${rmaNumber}/${action}`, {
      method: "POST",
      headers,
      body: JSON.stringify({ version: (await current()).version, ...body }),
    });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${await res.text()}`);
  }
}

/**
 * Marks an RMA as a past repair: repaired five days before it was shipped back `shippedDaysAgo` days ago,
 * then closed (or shipped back unrepaired with `repaired: false`). Straight in the database: the tests
 * that use it are about what later requests say of that repair, not about the moves themselves.
 */
export async function markShippedBack(
  db: { query(sql: string, args: (string | number | null)[]): Promise<unknown> },
  rmaNumber: string,
  shippedDaysAgo: number,
  repaired = true,
): Promise<void> {
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  await db.query("UPDATE rmas SET status = 'closed', repairing_at = ?, shipped_at = ?, closed_at = ? WHERE rma_number = ?", [
    repaired ? `${day(shippedDaysAgo + 5)}T09:00:00.000Z` : null,
    `${day(shippedDaysAgo)}T15:00:00.000Z`,
    `${day(shippedDaysAgo)}T16:00:00.000Z`,
    rmaNumber,
  ]);
}
