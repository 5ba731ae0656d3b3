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
