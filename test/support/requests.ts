/** Building request bodies from the demo registry, so tests use real, registered serial numbers. */
import { DEMO_SERIALS, demoRegistry } from "../../db/seed.ts";
import type { RegistryRow } from "../../functions/domain/registry-csv.ts";

const registry = demoRegistry();
let next = 0;

/** Registered units no other test in this file has used yet (each test file has its own sqld). */
export function freshUnits(count: number, filter: (r: RegistryRow) => boolean = () => true): RegistryRow[] {
  const out: RegistryRow[] = [];
  while (out.length < count) {
    const row = registry.rows[next++];
    if (!row) throw new Error("the demo registry has run out of units for this test file");
    const demo: string[] = Object.values(DEMO_SERIALS);
    if (filter(row) && !demo.includes(row.serialNumber)) out.push(row);
  }
  return out;
}

export const DESCRIPTION =
  "The image freezes after about ten minutes of streaming over USB 3 on a Windows 11 host with SDK 4.2; tried another cable and port.";

export function requestBody(units: RegistryRow[], overrides: Record<string, unknown> = {}) {
  return {
    contact: {
      name: "Giulia Bianchi",
      company: "Ottica Srl",
      email: "giulia@example.com",
      phone: "+39 050 123 4567",
      country: "Italy",
    },
    returnAddress: { street: "Via Roma 1", postalCode: "56100", city: "Pisa", country: "Italy" },
    units: units.map((u) => ({ model: u.model, serialNumber: u.serialNumber, issueDescription: DESCRIPTION })),
    acceptTerms: true,
    ...overrides,
  };
}

/**
 * The same request as the request form posts it without JavaScript (`/rma/new` or the API's form
 * encoding): one field per path, the terms ticked and a fresh one-time key; `overrides` replace fields.
 */
export function requestForm(units: RegistryRow[], overrides: Record<string, string> = {}): URLSearchParams {
  const body = requestBody(units);
  const fields: Record<string, string> = {
    "contact.name": body.contact.name,
    "contact.email": body.contact.email,
    "contact.phone": body.contact.phone,
    "contact.country": body.contact.country,
    "returnAddress.street": body.returnAddress.street,
    "returnAddress.postalCode": body.returnAddress.postalCode,
    "returnAddress.city": body.returnAddress.city,
    "returnAddress.country": body.returnAddress.country,
  };
  body.units.forEach((u, i) => {
    fields[`units.${i}.model`] = u.model;
    fields[`units.${i}.serialNumber`] = u.serialNumber;
    fields[`units.${i}.issueDescription`] = u.issueDescription;
  });
  return new URLSearchParams({ ...fields, acceptTerms: "on", idempotencyKey: crypto.randomUUID(), ...overrides });
}

/**
 * The body the request form's script sends: each unit's purchase date filled in from the live serial
 * check (the registry's, unless `purchaseDate` says otherwise), so it can be issued in one round trip.
 */
export function statedBody(units: RegistryRow[], overrides: Record<string, unknown> = {}) {
  const body = requestBody(units, overrides);
  return { ...body, units: body.units.map((u, i) => ({ ...u, purchaseDate: units[i]?.purchaseDate ?? "" })) };
}

/**
 * Issues a request through the built Worker at `baseUrl` (POST /api/rma-requests), for tests that need
 * RMAs to work on; anything but 201 throws with the answer's text.
 */
export async function issueThroughWorker(baseUrl: string, body: unknown): Promise<{ requestId: string; rmaNumbers: string[] }> {
  const res = await fetch(`${baseUrl}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`request refused: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as { requestId: string; rmas: { rmaNumber: string }[] };
  return { requestId: created.requestId, rmaNumbers: created.rmas.map((r) => r.rmaNumber) };
}

/**
 * Adds `count` registry units straight into sqld with one recursive CTE (the demo registry has only
 * about 240): serials `<prefix>000001`, `<prefix>000002`..., alternating between two models, bought
 * 100 days ago (under warranty). Returns them as registry rows for `requestBody`.
 */
export async function addRegistryUnits(
  db: { query(sql: string, args?: (string | number | null)[]): Promise<unknown[]> },
  count: number,
  prefix: string,
): Promise<RegistryRow[]> {
  if (!/^[A-Z]{2,8}$/.test(prefix)) throw new Error(`prefix ${prefix}: 2 to 8 capital letters`);
  const models = ["Celera C1920", "Vega V640"];
  const purchaseDate = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
  await db.query(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO products (serial_number, model, purchase_date)
     SELECT ? || printf('%06d', i), CASE i % 2 WHEN 0 THEN ? ELSE ? END, ? FROM n`,
    [count, prefix, models[0] ?? "", models[1] ?? "", purchaseDate],
  );
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    return {
      line: 0,
      serialNumber: `${prefix}${String(i).padStart(6, "0")}`,
      model: models[i % 2 === 0 ? 0 : 1] ?? "",
      purchaseDate,
    };
  });
}
