/** `/admin/rmas.csv` in the built Worker against sqld: the queue's filter as CSV, hostile cells neutralised. */
import { beforeAll, describe, expect, it } from "vitest";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { signInToWorker } from "../support/staff.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
let cookie: string;
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.worker.url}${path}`, { headers: { cookie, ...headers }, redirect: "manual" });

/** A minimal RFC 4180 reader for the test: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

const HOSTILE = {
  name: '=HYPERLINK("http://evil.example","Giulia")',
  company: "@SUM(1+1)*cmd|' /C calc'!A0",
  email: "csv-hostile@example.com",
};

beforeAll(async () => {
  cookie = await signInToWorker(stack.worker.url);
  const body = requestBody(freshUnits(2));
  body.contact.name = HOSTILE.name;
  body.contact.company = HOSTILE.company;
  body.contact.email = HOSTILE.email;
  body.units = body.units.map((u) => ({ ...u, issueDescription: "-1+1 the image goes dark, then\n+2 it reboots." }));
  await issueThroughWorker(stack.worker.url, body);
  await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)));
});

describe("the queue's filter as CSV", () => {
  it("downloads the RMAs the queue's parameters select, with a BOM, and neutralises cells a spreadsheet would run", async () => {
    const res = await get(`/admin/rmas.csv?q=${encodeURIComponent("csv-hostile@")}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="rmas-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)));
    const [header, ...data] = rows;
    expect(header?.slice(0, 3)).toEqual(["rma_number", "status", "model"]);
    expect(data).toHaveLength(2);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    for (const row of data) {
      expect(row[col("contact_name")]).toBe(`'${HOSTILE.name}`);
      expect(row[col("company")]).toBe(`'${HOSTILE.company}`);
      expect(row[col("issue_description")]).toBe("'-1+1 the image goes dark, then\n+2 it reboots.");
      expect(row[col("status")]).toBe("requested");
    }
    expect(res.headers.get("x-rows")).toBe("2");
  });

  it("lists every RMA without a filter, newest first", async () => {
    const res = await get("/admin/rmas.csv");
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    expect(rows.length - 1).toBe(3);
    const requested = rows.slice(1).map((r) => r[7] as string);
    expect([...requested].sort().reverse()).toEqual(requested);
  });

  it("refuses a filter the queue would refuse, naming the field", async () => {
    const res = await get("/admin/rmas.csv?status=lost");
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/^status: There is no status "lost"/);
  });

  it("sends a visitor without a session to the sign-in page", async () => {
    const res = await fetch(`${stack.worker.url}/admin/rmas.csv`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/login?next=${encodeURIComponent("/admin/rmas.csv")}`);
  });
});
