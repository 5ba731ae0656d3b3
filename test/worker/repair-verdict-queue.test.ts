/**
 * Issue 17 in the built Worker (workerd) against sqld: the no-JavaScript request form's "Check the serial
 * numbers" says "covered by the repair warranty of RMA-… until …" for a unit only a repair covers (English
 * and Italian pages); the staff queue lists an overdue RMA first, marked in words, and links the CSV of
 * the list as filtered. The clock is the real one; the RMAs' times are set where the test needs them
 * (as test/api/insight-overdue.test.ts does).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from "../../db/seed.ts";
import { daysAgo, longDate, monthsOn, surelyNotCovered } from "../support/dates.ts";
import { markShippedBack } from "../support/lifecycle.ts";
import { freshUnits, issueThroughWorker, requestBody, requestForm } from "../support/requests.ts";
import { useStack } from "../support/worker.ts";

const stack = useStack();
let cookie: string;
beforeAll(async () => {
  const res = await post(
    "/admin/login",
    new URLSearchParams({ email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD, next: "/admin" }),
  );
  expect(res.status).toBe(303);
  cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
});

function post(path: string, form: URLSearchParams) {
  return fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    headers: { origin: stack.worker.url, "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
}
const staffGet = (path: string) => fetch(`${stack.worker.url}${path}`, { headers: { cookie }, redirect: "manual" });

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("the no-JavaScript request form's serial check", () => {
  it("says a unit out of its original warranty is covered by the repair warranty of the RMA that repaired it, until its last day", async () => {
    const [unit] = freshUnits(1, surelyNotCovered);
    if (!unit) throw new Error("no unit");
    const [old] = (await issueThroughWorker(stack.worker.url, requestBody([unit]))).rmaNumbers;
    await markShippedBack(stack.db, old ?? "", 30);
    const until = monthsOn(daysAgo(30), 3);
    for (const [path, words] of [
      ["/rma/new", `covered by the repair warranty of ${old} until ${longDate("en-GB", until)}`],
      ["/it/rma/new", `coperta dalla garanzia sulla riparazione della pratica ${old} fino al ${longDate("it-IT", until)}`],
    ] as const) {
      const res = await post(path, new URLSearchParams({ intent: "check", "units.0.serialNumber": unit.serialNumber }));
      expect(res.status, path).toBe(200);
      const html = await res.text();
      const verdict = /<p class="verdict covered"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
      expect(verdict, path).toBeDefined();
      expect(textOf(verdict ?? ""), path).toContain(words);
      // Its purchase date is not stated (read-only, empty): issuing reads the past repairs itself.
      const dateInput = /<input[^>]*name="units\.0\.purchaseDate"[^>]*>/.exec(html)?.[0] ?? "";
      expect(dateInput, path).toContain("readonly");
      expect(dateInput, path).not.toMatch(/value="\d/);
    }
    // Sent as the page sends it, the unit is issued under warranty until the repair warranty's last day.
    const sent = await post("/rma/new", requestForm([unit], { "units.0.purchaseDate": "" }));
    expect(sent.status).toBe(303);
    const [row] = await stack.db.query<{ warranty_covered: number; warranty_until: string }>(
      "SELECT warranty_covered, warranty_until FROM rmas WHERE serial_number = ? AND rma_number <> ?",
      [unit.serialNumber, old ?? ""],
    );
    expect(row).toEqual({ warranty_covered: 1, warranty_until: until });

    // The customer's pages say which repair covers it: the confirmation, the RMA's page and its printed form.
    const words = `covered by the repair warranty of ${old} until ${longDate("en-GB", until)}`;
    const confirmation = await fetch(new URL(sent.headers.get("location") ?? "", stack.worker.url));
    expect(confirmation.status).toBe(200);
    const confirmationHtml = await confirmation.text();
    expect(textOf(confirmationHtml)).toContain(words);
    const rmaLink = /href="(\/rma\/RMA-[^"]+)"/.exec(confirmationHtml)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(rmaLink).not.toBe("");
    const rmaPage = await fetch(`${stack.worker.url}${rmaLink}`);
    expect(rmaPage.status).toBe(200);
    expect(textOf(await rmaPage.text())).toContain(words);
    await stack.db.query(
      "UPDATE rmas SET status = 'authorized', authorized_at = ?, valid_until = ? WHERE serial_number = ? AND rma_number <> ?",
      [new Date().toISOString(), new Date(Date.now() + 30 * 86_400_000).toISOString(), unit.serialNumber, old ?? ""],
    );
    const [path, query] = rmaLink.split("?");
    const print = await fetch(`${stack.worker.url}${path}/print?${query}`);
    expect(print.status).toBe(200);
    expect(textOf(await print.text())).toContain(words);
  });
});

describe("the staff queue", () => {
  it("lists an overdue RMA first, saying so in words, and links the CSV of the list as filtered", async () => {
    const [late, fresh] = freshUnits(2, (r) => r.model === "Vega V640");
    if (!late || !fresh) throw new Error("no units");
    const [overdue] = (await issueThroughWorker(stack.worker.url, requestBody([late]))).rmaNumbers;
    const [onTime] = (await issueThroughWorker(stack.worker.url, requestBody([fresh]))).rmaNumbers;
    // Requested Thursday 2 April 2026, not decided: its 2 working days ended on Tuesday 7 April (Easter Monday not counted).
    await stack.db.query("UPDATE rmas SET requested_at = '2026-04-02T10:00:00.000Z' WHERE rma_number = ?", [overdue ?? ""]);

    const res = await staffGet("/admin?model=Vega%20V640");
    expect(res.status).toBe(200);
    const html = await res.text();
    const section = html.indexOf("data-overdue-list");
    const results = html.indexOf('id="results"');
    expect(section).toBeGreaterThan(-1);
    // The overdue section comes before the work lists and the newest-first list.
    expect(section).toBeLessThan(html.indexOf('aria-labelledby="todo-h"'));
    expect(section).toBeLessThan(results);
    const overdueSection = html.slice(section, html.indexOf("</section>", section));
    expect(overdueSection).toContain(`data-overdue-rma="${overdue}"`);
    expect(overdueSection).not.toContain(`data-overdue-rma="${onTime}"`);
    // Marked in words: the heading says overdue and the row names its stage and the day it was due.
    const words = textOf(overdueSection);
    expect(words).toMatch(/Overdue now: (at least )?\d+ RMA/);
    expect(words).toContain(`${overdue} Decision`);
    expect(words).toContain(longDate("en-GB", "2026-04-07"));

    // In the lists below, the overdue RMA's row is marked in words, the one on time is not.
    const rowOf = (n: string | undefined) => {
      const at = html.indexOf(`<tr data-rma="${n}"`, results);
      return html.slice(at, html.indexOf("</tr>", at));
    };
    expect(rowOf(overdue)).toContain("data-overdue-mark");
    expect(textOf(rowOf(overdue))).toContain("Overdue");
    expect(rowOf(onTime)).toContain(onTime);
    expect(rowOf(onTime)).not.toContain("data-overdue-mark");

    // The CSV link carries the queue's filter; following it downloads that list.
    const href = /<a href="([^"]+)" download data-csv-link/.exec(html)?.[1]?.replace(/&amp;/g, "&");
    expect(href).toBe("/admin/rmas.csv?model=Vega+V640");
    const csv = await staffGet(href ?? "");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const body = await csv.text();
    expect(body).toContain(overdue);
    expect(body).toContain(onTime);

    // In the desk's language: a staff member who reads Italian sees the section in Italian.
    await stack.db.query("UPDATE staff_users SET locale = 'it' WHERE email = ?", [DEMO_ADMIN_EMAIL]);
    const italian = await (await staffGet("/admin?model=Vega%20V640")).text();
    await stack.db.query("UPDATE staff_users SET locale = 'en' WHERE email = ?", [DEMO_ADMIN_EMAIL]);
    const italianSection = textOf(italian.slice(italian.indexOf("data-overdue-list")));
    expect(italianSection).toMatch(/Scadute ora: (almeno )?\d+ pratic/);
    expect(italianSection).toContain(longDate("it-IT", "2026-04-07"));

    // Page 2 of the list has no overdue section: it is the first page's.
    const second = await (await staffGet("/admin?model=Vega%20V640&page=2")).text();
    expect(second).not.toContain("data-overdue-list");
  });
});
