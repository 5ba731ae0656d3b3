/**
 * The staff RMA page through the built Worker (workerd, its local R2) against sqld: one time-ordered
 * history (events with who did them, the customer's and the desk's messages with their files, the
 * request's files, internal notes), the reply form (it lands whole, or is refused at the form with the
 * text kept and nothing stored; only for roles with `rma.message`), the diagnosis recorded through the
 * page's confirm-warranty form, the stage times, the repair warranty's words, and the page's database
 * round trips (the session, then one batch), counted by the proxy between the Worker and sqld.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { addStaffUser } from "../../db/staff.ts";
import { signToken } from "../../functions/auth/tokens.ts";
import { addMonths } from "../../functions/domain/dates.ts";
import { t } from "../../functions/i18n/index.ts";
import { freshUnits, requestBody } from "../support/requests.ts";
import { signInToWorker } from "../support/staff.ts";
import { PNG_HEAD as PNG } from "../support/staff-history.ts";
import { r2ObjectCount, TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const stack = useStack({ databaseProxy: true, vars: { STAFF_EMAIL: "desk@alkeria.example" } });

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
/** A Windows program ("MZ" header), renamed to look like a photo. */
const EXE = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0, 0xb8, 0, 0, 0]);
const HOSTILE = "Connector looks burnt.\n<script>alert('x')</script>\nSee https://evil.example for the photo.";

let admin: string;
let viewer: string;

const rows = (sql: string, args: (string | number | null)[] = []) => stack.db.query(sql, args);

async function issue(units = freshUnits(1), headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${stack.worker.url}/api/rma-requests`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(requestBody(units)),
  });
  if (res.status !== 201) throw new Error(`request refused: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as { rmas: { rmaNumber: string }[] };
  return created.rmas[0]?.rmaNumber ?? "";
}

function replyForm(body: string, files: { name: string; bytes: Uint8Array; type: string }[]): FormData {
  const f = new FormData();
  f.append("locale", "en");
  f.append("body", body);
  for (const file of files) f.append("files", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name);
  return f;
}

function postPage(path: string, cookie: string, body: FormData | URLSearchParams): Promise<Response> {
  return fetch(`${stack.worker.url}${path}`, {
    method: "POST",
    headers: { cookie, origin: stack.worker.url, accept: "text/html" },
    body,
    redirect: "manual",
  });
}

async function page(n: string, cookie = admin): Promise<string> {
  const res = await fetch(`${stack.worker.url}/admin/rma/${n}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return res.text();
}

/** Moves an RMA on through the staff API. */
async function act(n: string, action: string, input: Record<string, unknown> = {}): Promise<void> {
  const [rma] = await rows("SELECT version FROM rmas WHERE rma_number = ?", [n]);
  const res = await fetch(`${stack.worker.url}/api/admin/rmas/${n}/${action}`, {
    method: "POST",
    headers: { cookie: admin, origin: stack.worker.url, "content-type": "application/json" },
    body: JSON.stringify({ version: Number(rma?.["version"]), ...input }),
  });
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  admin = await signInToWorker(stack.worker.url);
  const client = createDb({ DATABASE_URL: stack.db.url }).$client;
  await addStaffUser(client, "viewer@alkeria.example", "viewer test passphrase", { role: "viewer" });
  const res = await fetch(`${stack.worker.url}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.worker.url },
    body: JSON.stringify({ email: "viewer@alkeria.example", password: "viewer test passphrase" }),
  });
  viewer = /rma_staff=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "";
  expect(viewer).not.toBe("");
});

describe("the staff RMA page's history and reply form (built Worker)", () => {
  let n: string;
  let replyId: string;

  beforeAll(async () => {
    // An Italian customer's request, with a file of the request (its row; the page only links to it).
    n = await issue(freshUnits(1), { "accept-language": "it" });
    const [rma] = await rows("SELECT request_id, requested_at FROM rmas WHERE rma_number = ?", [n]);
    await rows(
      "INSERT INTO rma_files (id, rma_number, request_id, name, content_type, size, sha256, pieces, uploaded_by, created_at) VALUES (?, ?, ?, 'label-photo.jpg', 'image/jpeg', 1234, 'x', 1, 'customer', ?)",
      [crypto.randomUUID(), n, String(rma?.["request_id"]), String(rma?.["requested_at"])],
    );
    // The customer writes (signed link), markup and an address in the text.
    const token = await signToken(TEST_LINK_SECRET, "rma", n);
    const res = await fetch(`${stack.worker.url}/api/rmas/${n}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ t: token, body: HOSTILE }),
    });
    expect(res.status).toBe(201);
  });

  it("lands a reply posted by the page's form: message and files stored, objects in R2, the customer emailed in Italian", async () => {
    const objects = r2ObjectCount(stack.worker);
    const res = await postPage(
      `/admin/rma/${n}?reply`,
      admin,
      replyForm("Please send the log.\nThank you.", [
        { name: "connector.png", bytes: PNG, type: "image/png" },
        { name: "report.pdf", bytes: PDF, type: "application/pdf" },
      ]),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/rma/${n}?sent=message#history`);
    const [message] = await rows("SELECT id, author, body FROM rma_messages WHERE rma_number = ? AND author LIKE 'staff:%'", [n]);
    expect(message).toMatchObject({ author: "staff:admin@alkeria.example", body: "Please send the log.\nThank you." });
    replyId = String(message?.["id"]);
    const files = await rows("SELECT name, content_type FROM rma_files WHERE message_id = ? ORDER BY name", [replyId]);
    expect(files).toEqual([
      { name: "connector.png", content_type: "image/png" },
      { name: "report.pdf", content_type: "application/pdf" },
    ]);
    expect(r2ObjectCount(stack.worker)).toBe(objects + 2);
    const [request] = await rows(
      "SELECT email FROM return_requests r JOIN rmas m ON m.request_id = r.id WHERE m.rma_number = ?",
      [n],
    );
    const mails = await rows("SELECT recipient, subject FROM outbox WHERE rma_number = ? AND subject = ?", [
      n,
      t("it", "files.emailCustomerSubject", { rmaNumber: n }),
    ]);
    expect(mails).toEqual([{ recipient: request?.["email"], subject: t("it", "files.emailCustomerSubject", { rmaNumber: n }) }]);
    // Back on the page, it says so.
    const html = await (await fetch(`${stack.worker.url}/admin/rma/${n}?sent=message`, { headers: { cookie: admin } })).text();
    expect(html).toContain(t("en", "workshop.replySent"));
  });

  it("adds an internal note through the page's note form", async () => {
    const res = await postPage(
      `/admin/rma/${n}`,
      admin,
      new URLSearchParams({ action: "note", "note.body": "Check the USB 3 port first." }),
    );
    expect(res.status).toBe(303);
  });

  it("shows one history in time order: request files, the customer's message, the reply with a thumbnail and a download, the note", async () => {
    const html = await page(n);
    const history = html.slice(html.indexOf('id="history"'));
    const at = (s: string) => {
      const i = history.indexOf(s);
      expect(i, s).toBeGreaterThan(-1);
      return i;
    };
    const requested = at(t("en", "files.requestFiles"));
    const customer = at("Connector looks burnt.");
    const reply = at("Please send the log.");
    const note = at("Check the USB 3 port first.");
    expect(requested).toBeLessThan(customer);
    expect(customer).toBeLessThan(reply);
    expect(reply).toBeLessThan(note);
    // Each event says who did it (the request: the customer; no staff move yet), in the desk's words.
    expect(history).toContain('data-entry="event"');
    // The image is a thumbnail, the PDF a download, both from the file route (the staff session).
    const [png] = await rows("SELECT id FROM rma_files WHERE message_id = ? AND name = 'connector.png'", [replyId]);
    const [pdf] = await rows("SELECT id FROM rma_files WHERE message_id = ? AND name = 'report.pdf'", [replyId]);
    expect(history).toMatch(new RegExp(`<img src="/api/rmas/${n}/files/${png?.["id"]}" alt="connector.png"`));
    expect(history).toMatch(new RegExp(`<a href="/api/rmas/${n}/files/${pdf?.["id"]}" download="report.pdf"`));
    const image = await fetch(`${stack.worker.url}/api/rmas/${n}/files/${png?.["id"]}`, { headers: { cookie: admin } });
    expect(image.status).toBe(200);
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);
    // The note is marked internal, with its author.
    expect(history).toMatch(
      /data-entry="note"[\s\S]*Internal note[\s\S]*admin@alkeria\.example[\s\S]*Check the USB 3 port first\./,
    );
    // The reply's author is named for staff.
    expect(history).toContain("(admin@alkeria.example)");
    // The staff history API gives the same entries, the note included.
    const api = (await (
      await fetch(`${stack.worker.url}/api/admin/rmas/${n}/history`, { headers: { cookie: admin } })
    ).json()) as {
      history: { type: string }[];
    };
    expect(api.history.map((e) => e.type)).toEqual(["event", "request-files", "message", "message", "note"]);
  });

  it("shows the customer's text escaped, line breaks kept, the link not made clickable", async () => {
    const html = await page(n);
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert('x')</script>");
    expect(html).not.toMatch(/<a [^>]*href="https:\/\/evil\.example/);
    expect(html).toContain("Connector looks burnt.\n&lt;script&gt;");
  });

  for (const [name, files, expected] of [
    [
      "six files",
      Array.from({ length: 6 }, (_, i) => ({ name: `photo-${i + 1}.png`, bytes: PNG, type: "image/png" })),
      t("en", "files.tooMany", { name: "photo-6.png", max: 5 }),
    ],
    [
      "a program renamed .png",
      [{ name: "holiday.png", bytes: EXE, type: "image/png" }],
      t("en", "files.executable", { name: "holiday.png" }),
    ],
  ] as const) {
    it(`refuses a reply with ${name}: the message at the form, the text kept, nothing stored`, async () => {
      const before = await rows(
        "SELECT (SELECT count(*) FROM rma_messages) AS m, (SELECT count(*) FROM rma_files) AS f, (SELECT count(*) FROM outbox) AS o",
      );
      const objects = r2ObjectCount(stack.worker);
      const text = `Here is the photo you asked for <b>now</b>.\nSecond line ${name}.`;
      const res = await postPage(`/admin/rma/${n}?reply`, admin, replyForm(text, [...files]));
      expect(res.status).toBe(422);
      const html = await res.text();
      const error = /<p class="error" role="alert" id="message-error"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
      expect(error).toBe(expected.replace(/'/g, "&#39;"));
      expect(html).toMatch(/<input id="message-files"[^>]*aria-describedby="message-files-hint message-error"/);
      expect(html).toContain(`Here is the photo you asked for &lt;b&gt;now&lt;/b&gt;.\nSecond line ${name}.</textarea>`);
      expect(html).toContain(t("en", "workshop.replyRefused"));
      const after = await rows(
        "SELECT (SELECT count(*) FROM rma_messages) AS m, (SELECT count(*) FROM rma_files) AS f, (SELECT count(*) FROM outbox) AS o",
      );
      expect(after).toEqual(before);
      // Pieces stored before the refusal are removed at once.
      await expect.poll(() => r2ObjectCount(stack.worker)).toBe(objects);
    });
  }

  for (const [name, form, expected, kept] of [
    ["no text and no file", () => replyForm("   ", []), t("en", "files.bodyRequired", { max: 5000 }), "   "],
    [
      "a text over 5000 characters",
      () => replyForm("x".repeat(5001), []),
      t("en", "files.bodyTooLong", { max: 5000 }),
      "x".repeat(5001),
    ],
    [
      "a field the form does not have",
      () => {
        const f = replyForm("Hello.", []);
        f.append("author", "customer");
        return f;
      },
      t("en", "files.unknownField", { name: "author" }),
      "Hello.",
    ],
    ["a URL-encoded post", () => new URLSearchParams({ body: "Hello." }), t("en", "workshop.replyNotMultipart"), ""],
  ] as const) {
    it(`refuses a reply with ${name} at the form, storing nothing`, async () => {
      const before = await rows("SELECT (SELECT count(*) FROM rma_messages) AS m, (SELECT count(*) FROM outbox) AS o");
      const res = await postPage(`/admin/rma/${n}?reply`, admin, form());
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const html = await res.text();
      const error = /<p class="error" role="alert" id="message-error"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
      expect(error).toBe(expected.replace(/'/g, "&#39;"));
      expect(html).toMatch(new RegExp(`<textarea id="message-body"[^>]*>${kept}</textarea>`));
      expect(await rows("SELECT (SELECT count(*) FROM rma_messages) AS m, (SELECT count(*) FROM outbox) AS o")).toEqual(before);
    });
  }

  it("keeps markup in a file name as text on the page", async () => {
    const res = await postPage(
      `/admin/rma/${n}?reply`,
      admin,
      replyForm("A file with a strange name.", [
        { name: "<img src=x onerror=alert(1)>.pdf", bytes: PDF, type: "application/pdf" },
      ]),
    );
    expect(res.status).toBe(303);
    // Outside attribute values (where Astro escapes quotes, so the value cannot end early), as text.
    const markup = (await page(n)).replace(/="[^"]*"/g, '=""');
    expect(markup).not.toContain("<img src=x onerror");
    expect(markup).toContain("&lt;img src=x onerror=alert(1)&gt;.pdf");
  });

  it("shows no reply form to a role without rma.message, and refuses its posts (page and API) with 403", async () => {
    const html = await page(n, viewer);
    expect(html).toContain('id="history"');
    expect(html).not.toContain('id="message-form"');
    const before = await rows("SELECT count(*) AS m FROM rma_messages");
    const onPage = await postPage(`/admin/rma/${n}?reply`, viewer, replyForm("Not allowed.", []));
    expect(onPage.status).toBe(403);
    const api = await fetch(`${stack.worker.url}/api/admin/rmas/${n}/messages`, {
      method: "POST",
      headers: { cookie: viewer, origin: stack.worker.url, "content-type": "application/json" },
      body: JSON.stringify({ body: "Not allowed." }),
    });
    expect(api.status).toBe(403);
    expect(await rows("SELECT count(*) AS m FROM rma_messages")).toEqual(before);
  });

  it("reads the page in two round trips: the session, then one batch (RMA, thread, notes, team, categories, past repairs)", async () => {
    await stack.proxy.settle();
    stack.proxy.reset();
    const res = await fetch(`${stack.worker.url}/admin/rma/${n}`, { headers: { cookie: admin } });
    const text = await res.text();
    await stack.proxy.settle();
    expect(res.status).toBe(200);
    expect(text).toContain("Please send the log.");
    const { trips, other } = stack.proxy.counts();
    expect({ trips, other }).toEqual({ trips: 2, other: 0 });
  });

  it("answers the staff API's GET of the RMA in two round trips too, with its notes and assignee", async () => {
    await stack.proxy.settle();
    stack.proxy.reset();
    const res = await fetch(`${stack.worker.url}/api/admin/rmas/${n}`, { headers: { cookie: admin } });
    const body = (await res.json()) as { rma: { rmaNumber: string }; notes: { body: string }[]; assignee: unknown };
    await stack.proxy.settle();
    expect(res.status).toBe(200);
    expect(body.rma.rmaNumber).toBe(n);
    expect(body.notes.length).toBeGreaterThan(0);
    expect(body).toHaveProperty("assignee");
    const { trips, other } = stack.proxy.counts();
    expect({ trips, other }).toEqual({ trips: 2, other: 0 });
  });
});

describe("diagnosis, stage times and the repair warranty on the staff page (built Worker)", () => {
  it("records the diagnosis sent with the page's confirm-warranty form", async () => {
    const aYearAgo = addMonths(new Date().toISOString().slice(0, 10), -12);
    const n = await issue(freshUnits(1, (r) => r.purchaseDate > aYearAgo));
    await act(n, "authorize");
    await act(n, "receive", {});
    const html = await page(n);
    expect(html).toContain('name="confirm-warranty.failureCategory"');
    expect(html).toContain('<option value="sensor">Sensor / pixels</option>');
    const [rma] = await rows("SELECT version FROM rmas WHERE rma_number = ?", [n]);
    const res = await postPage(
      `/admin/rma/${n}`,
      admin,
      new URLSearchParams({
        action: "confirm-warranty",
        version: String(rma?.["version"]),
        "confirm-warranty.failureCategory": "sensor",
        "confirm-warranty.firmwareReceived": "4.2.1",
        "confirm-warranty.rootCause": "Dead column on the sensor.",
        "confirm-warranty.partsReplaced": "Sensor board",
        "confirm-warranty.note": "",
      }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/rma/${n}?done=warranty-confirmed`);
    const diagnosis = await rows(
      "SELECT category_code, firmware_received, root_cause, parts_replaced FROM rma_diagnoses WHERE rma_number = ?",
      [n],
    );
    expect(diagnosis).toEqual([
      {
        category_code: "sensor",
        firmware_received: "4.2.1",
        root_cause: "Dead column on the sensor.",
        parts_replaced: "Sensor board",
      },
    ]);
    // The repair's form asks for the firmware as shipped, recorded with the move.
    expect(await page(n)).toContain('name="finish-repair.firmwareShipped"');
    const [repairing] = await rows("SELECT version FROM rmas WHERE rma_number = ?", [n]);
    const finished = await postPage(
      `/admin/rma/${n}`,
      admin,
      new URLSearchParams({
        action: "finish-repair",
        version: String(repairing?.["version"]),
        "finish-repair.firmwareShipped": "4.3.0",
        "finish-repair.note": "",
      }),
    );
    expect(finished.status).toBe(303);
    expect(await rows("SELECT firmware_shipped FROM rma_diagnoses WHERE rma_number = ?", [n])).toEqual([
      { firmware_shipped: "4.3.0" },
    ]);
  });

  it("shows the time spent in each stage", async () => {
    const n = await issue();
    await act(n, "authorize");
    const html = await page(n);
    expect(html).toContain("data-stage-times");
    expect(html).toContain('data-stage="decision"');
    expect(html).toContain('data-stage="transit"');
    expect(html).toContain(t("en", "insight.stageTimes.title"));
  });

  it("says the unit is covered by the repair warranty of the earlier RMA when only that one applies", async () => {
    // A unit out of its 24 months, repaired under an earlier RMA and shipped back 20 days ago.
    const today = new Date().toISOString().slice(0, 10);
    const [unit] = freshUnits(1, (r) => addMonths(r.purchaseDate, 24) < today);
    if (!unit) throw new Error("no unit out of warranty in the demo registry");
    const earlier = await issue([unit]);
    const shipped = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const repairing = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await rows(
      "UPDATE rmas SET status = 'closed', repairing_at = ?, shipped_at = ?, closed_at = ?, version = version + 1 WHERE rma_number = ?",
      [repairing, shipped, shipped, earlier],
    );
    const n = await issue([unit]);
    const html = await page(n);
    const until = addMonths(shipped.slice(0, 10), 3);
    const words = t("en", "insight.repairWarranty.covered", { rma: earlier, until });
    expect(html).toContain(`<dd data-warranty>${words}</dd>`);
    expect(html).toContain(`<dd data-warranty-today>${words}</dd>`);
  });
});
