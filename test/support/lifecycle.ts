/** Moving test RMAs along the lifecycle straight through the services, as staff would (the admin desk is elsewhere). */
import { createDb } from "../../db/client.ts";
import { validUntilFrom } from "../../functions/domain/expiry.ts";
import { moveRma } from "../../functions/services/transition.ts";

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
