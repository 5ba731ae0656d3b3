/**
 * Files sent with a return request, through the built Worker into its local R2 (Miniflare, on disk):
 * `POST /api/rma-requests` as `multipart/form-data` (the JSON in a part named `request`, each unit's files
 * in `units.N.files`) answering as the JSON call does, the rows written with the request (each with its
 * unit's RMA) and the files served with the RMA's link; every refusal leaving nothing stored (no request,
 * no RMA, no file row, no object in R2); a batch that fails leaving objects the hourly job removes; and
 * the request form without JavaScript (a multipart post to the page), including a refused file that
 * brings the form back with every value kept and the message at that unit's file field.
 */

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import type { RegistryRow } from "../../functions/domain/registry-csv.ts";
import { freshUnits, requestBody, requestForm, statedBody } from "../support/requests.ts";
import { fileBytes as bytesOf, PNG_HEAD as PNG } from "../support/staff-history.ts";
import {
  postFromPortal,
  r2ObjectCount,
  settledObjects,
  TEST_LINK_SECRET,
  triggerScheduled,
  useStack,
} from "../support/worker.ts";

const stack = useStack({ vars: { FILES_ORPHAN_MINUTES: "0" } });

type Err = { error: { code: string; message: string; fields?: Record<string, string> } };
type Created = { requestId: string; rmas: { rmaNumber: string; serialNumber: string; status: string }[] };

const MB = 1024 * 1024;
const PDF = new TextEncoder().encode("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n");
const enc = new TextEncoder();

interface Upload {
  field: string;
  name: string;
  bytes: Uint8Array;
}

const blob = (bytes: Uint8Array, type = "application/octet-stream") => new Blob([bytes as Uint8Array<ArrayBuffer>], { type });

/** The API's multipart body: `request` (JSON, or raw text when a string) first, then the files. */
function multipart(request: unknown, files: Upload[], extra: Record<string, string> = {}): FormData {
  const f = new FormData();
  if (request !== undefined) f.append("request", typeof request === "string" ? request : JSON.stringify(request));
  for (const [k, v] of Object.entries(extra)) f.append(k, v);
  for (const file of files) f.append(file.field, blob(file.bytes), file.name);
  return f;
}

const postApi = (body: FormData | object, headers: Record<string, string> = {}) =>
  postFromPortal(stack.worker, "/api/rma-requests", body, headers);

const rows = (sql: string, args: (string | number)[] = []) => stack.db.query(sql, args);

let emails = 0;
/** A request body with its own email address, so "no request row" can be asked of it alone. */
function ownRequest(units: RegistryRow[], stated = false) {
  const email = `files-${++emails}@example.com`;
  const body = stated ? statedBody(units) : requestBody(units);
  return { email, body: { ...body, contact: { ...body.contact, email } } };
}

async function nothingStoredFor(email: string, units: RegistryRow[], objectsBefore: number, fileRowsBefore: number) {
  expect(await rows("SELECT id FROM return_requests WHERE email = ?", [email])).toEqual([]);
  for (const u of units) {
    expect(await rows("SELECT rma_number FROM rmas WHERE serial_number = ?", [u.serialNumber])).toEqual([]);
  }
  expect(await rows("SELECT count(*) AS n FROM rma_files")).toEqual([{ n: fileRowsBefore }]);
  expect(await settledObjects(stack.worker, objectsBefore)).toBe(objectsBefore);
}

const fileRowCount = async () => Number((await rows("SELECT count(*) AS n FROM rma_files"))[0]?.["n"]);

describe("POST /api/rma-requests as multipart/form-data", () => {
  it("stores each unit's files with the request (rows with name, type by content, size, SHA-256, uploader, the unit's RMA) and serves them with the RMA's link", async () => {
    const units = freshUnits(2);
    const { body } = ownRequest(units);
    const photo = bytesOf(PNG, 1_500_000);
    const log = enc.encode("2026-11-30 10:00:01 USB3 link lost\n2026-11-30 10:00:02 retry\n");
    const res = await postApi(
      multipart(body, [
        { field: "units.0.files", name: "label.png", bytes: photo },
        { field: "units.0.files", name: "camera.log", bytes: log },
        { field: "units.1.files", name: "invoice.pdf", bytes: PDF },
      ]),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const created = (await res.json()) as Created;
    expect(Object.keys(created).sort()).toEqual(["requestId", "rmas"]);
    const [first, second] = created.rmas.map((r) => r.rmaNumber);
    const stored = await rows(
      "SELECT rma_number, request_id, message_id, name, content_type, size, sha256, pieces, uploaded_by FROM rma_files WHERE request_id = ? ORDER BY name",
      [created.requestId],
    );
    const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    const row = (rma: string | undefined, name: string, type: string, b: Uint8Array, pieces: number) => ({
      rma_number: rma,
      request_id: created.requestId,
      message_id: null,
      name,
      content_type: type,
      size: b.length,
      sha256: sha(b),
      pieces,
      uploaded_by: "customer",
    });
    expect(stored).toEqual([
      row(first, "camera.log", "text/plain; charset=utf-8", log, 1),
      row(second, "invoice.pdf", "application/pdf", PDF, 1),
      row(first, "label.png", "image/png", photo, 2),
    ]);
    // Served to the holder of that RMA's link, as stored.
    const t = await signToken(TEST_LINK_SECRET, "rma", first ?? "");
    const ids = await rows("SELECT id, name FROM rma_files WHERE rma_number = ? ORDER BY name", [first ?? ""]);
    const png = ids.find((r) => r["name"] === "label.png")?.["id"];
    const served = await fetch(`${stack.worker.url}/api/rmas/${first}/files/${png}?t=${t}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(photo);
    // Another unit's link does not open it.
    const other = await signToken(TEST_LINK_SECRET, "rma", second ?? "");
    expect((await fetch(`${stack.worker.url}/api/rmas/${first}/files/${png}?t=${other}`)).status).toBe(403);
    // The customer's history of the first RMA lists the request's files (and only its own unit's).
    const history = (await (await fetch(`${stack.worker.url}/api/rmas/${first}/messages?t=${t}`)).json()) as {
      history: { type: string; files?: { name: string }[] }[];
    };
    const attached = history.history.find((e) => e.type === "request-files");
    expect(attached?.files?.map((f) => f.name).sort()).toEqual(["camera.log", "label.png"]);
  });

  it("answers as the JSON call does, and a replay with the same key stores nothing new", async () => {
    const [a, b] = [freshUnits(1), freshUnits(1)];
    const json = await postApi(ownRequest(a).body);
    const multi = await postApi(multipart(ownRequest(b).body, []));
    expect(multi.status).toBe(json.status);
    const [j, m] = [(await json.json()) as Created, (await multi.json()) as Created];
    expect(Object.keys(m).sort()).toEqual(Object.keys(j).sort());
    expect(Object.keys(m.rmas[0] ?? {}).sort()).toEqual(Object.keys(j.rmas[0] ?? {}).sort());

    const units = freshUnits(1);
    const { body } = ownRequest(units);
    const key = crypto.randomUUID();
    const files = [{ field: "units.0.files", name: "a.png", bytes: bytesOf(PNG, 4000) }];
    const once = await postApi(multipart(body, files), { "idempotency-key": key });
    expect(once.status).toBe(201);
    const objects = await settledObjects(stack.worker, r2ObjectCount(stack.worker));
    const fileRows = await fileRowCount();
    const again = await postApi(multipart(body, files), { "idempotency-key": key });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as Created).requestId).toBe(((await once.json()) as Created).requestId);
    expect(await fileRowCount()).toBe(fileRows);
    expect(await settledObjects(stack.worker, objects)).toBe(objects);
    // The same key with other files is another request: refused, its files deleted.
    const changed = await postApi(multipart(body, [{ field: "units.0.files", name: "b.png", bytes: bytesOf(PNG, 5000) }]), {
      "idempotency-key": key,
    });
    expect(changed.status).toBe(422);
    expect(((await changed.json()) as Err).error.code).toBe("idempotency_key_reused");
    expect(await settledObjects(stack.worker, objects)).toBe(objects);
  });
});

describe("refusals store nothing: no request, no RMA, no file row, no object", () => {
  const cases: {
    what: string;
    units: number;
    request?: "bad-json" | "missing";
    files: Upload[];
    status: number;
    code: string;
    field: string;
    says: RegExp;
  }[] = [
    {
      what: "a sixth file for one unit",
      units: 1,
      files: Array.from({ length: 6 }, (_, i) => ({
        field: "units.0.files",
        name: `photo-${i + 1}.png`,
        bytes: bytesOf(PNG, 1000),
      })),
      status: 422,
      code: "too_many_files",
      field: "units.0.files",
      says: /^“photo-6\.png” was not stored: at most 5 files/,
    },
    {
      what: "a file over 10 MB (refused while streaming)",
      units: 2,
      files: [{ field: "units.1.files", name: "big.png", bytes: bytesOf(PNG, 10 * MB + 1) }],
      status: 413,
      code: "file_too_large",
      field: "units.1.files",
      says: /^“big\.png” is larger than 10 MB/,
    },
    {
      what: "more than 25 MB together (over two units)",
      units: 2,
      files: [
        { field: "units.0.files", name: "part-1.png", bytes: bytesOf(PNG, 9 * MB) },
        { field: "units.0.files", name: "part-2.png", bytes: bytesOf(PNG, 9 * MB) },
        { field: "units.1.files", name: "part-3.png", bytes: bytesOf(PNG, 9 * MB) },
      ],
      status: 413,
      code: "submission_too_large",
      field: "units.1.files",
      says: /larger than 25 MB \(“part-3\.png” went over it\)/,
    },
    {
      what: "a file of no accepted type, by content",
      units: 1,
      files: [{ field: "units.0.files", name: "dump.txt", bytes: bytesOf(Uint8Array.from([0, 1, 2, 3, 0xfe]), 5000) }],
      status: 422,
      code: "file_refused",
      field: "units.0.files",
      says: /^“dump\.txt” is not a type we accept/,
    },
    {
      what: "a renamed executable .jpg",
      units: 1,
      files: [{ field: "units.0.files", name: "photo.jpg", bytes: bytesOf(enc.encode("MZ\x90\x00"), 4000) }],
      status: 422,
      code: "file_refused",
      field: "units.0.files",
      says: /^“photo\.jpg” is a program/,
    },
    {
      what: "a part units.7.files in a request of 2 units",
      units: 2,
      files: [
        { field: "units.0.files", name: "ok.png", bytes: bytesOf(PNG, 2000) },
        { field: "units.7.files", name: "stray.png", bytes: bytesOf(PNG, 2000) },
      ],
      status: 422,
      code: "validation_failed",
      field: "units.7.files",
      says: /^“stray\.png” was sent in units\.7\.files, but the request has no unit 7: its units are numbered from 0 to 1/,
    },
    {
      what: "bad JSON in the request part",
      units: 1,
      request: "bad-json",
      files: [{ field: "units.0.files", name: "ok.png", bytes: bytesOf(PNG, 2000) }],
      status: 400,
      code: "invalid_json",
      field: "request",
      says: /^The part named “request” is not valid JSON/,
    },
    {
      what: "no request part",
      units: 1,
      request: "missing",
      files: [{ field: "units.0.files", name: "ok.png", bytes: bytesOf(PNG, 2000) }],
      status: 422,
      code: "validation_failed",
      field: "request",
      says: /has no part named “request”/,
    },
  ];
  for (const c of cases) {
    it(`${c.what}: ${c.status} ${c.code} at ${c.field}`, async () => {
      const units = freshUnits(c.units);
      const { email, body } = ownRequest(units);
      const objects = r2ObjectCount(stack.worker);
      const fileRows = await fileRowCount();
      const request = c.request === "missing" ? undefined : c.request === "bad-json" ? '{"contact": {' : body;
      const res = await postApi(multipart(request, c.files));
      const answer = (await res.json()) as Err;
      expect(res.status, JSON.stringify(answer)).toBe(c.status);
      expect(answer.error.code).toBe(c.code);
      expect(answer.error.message).toMatch(c.says);
      expect(Object.keys(answer.error.fields ?? {})).toEqual([c.field]);
      await nothingStoredFor(email, units, objects, fileRows);
    });
  }

  it("says the refusal in the reader's language (Accept-Language: de)", async () => {
    const units = freshUnits(1);
    const res = await postApi(
      multipart(ownRequest(units).body, [
        { field: "units.0.files", name: "prog.pdf", bytes: bytesOf(enc.encode("\x7fELF"), 2000) },
      ]),
      { "accept-language": "de" },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as Err).error.message).toMatch(/^„prog\.pdf“/);
    const json = await postApi(multipart("{", []), { "accept-language": "it" });
    expect(((await json.json()) as Err).error.message).toMatch(/^La parte chiamata «request» non è un JSON valido/);
  });

  it("the request part's locale, as a JSON body's, chooses the answer's language and the RMA's", async () => {
    const stray = await postApi(
      multipart({ ...ownRequest(freshUnits(1)).body, locale: "it" }, [
        { field: "units.3.files", name: "a.png", bytes: bytesOf(PNG, 1000) },
      ]),
    );
    expect(stray.status).toBe(422);
    expect(((await stray.json()) as Err).error.message).toMatch(/^«a\.png» è stato inviato in units\.3\.files/);
    const { email, body } = ownRequest(freshUnits(1));
    const res = await postApi(
      multipart({ ...body, locale: "de" }, [{ field: "units.0.files", name: "a.png", bytes: bytesOf(PNG, 1000) }]),
    );
    expect(res.status).toBe(201);
    expect(await rows("SELECT locale FROM return_requests WHERE email = ?", [email])).toEqual([{ locale: "de" }]);
    const bad = await postApi(multipart({ ...body, locale: "fr" }, []));
    expect(bad.status).toBe(422);
    expect(Object.keys(((await bad.json()) as Err).error.fields ?? {})).toEqual(["locale"]);
  });
});

describe("all or nothing", () => {
  it("a request its batch refuses (a serial with an open RMA, found by the unique index) deletes its files at once", async () => {
    const units = freshUnits(1);
    const taken = await postApi(ownRequest(units).body);
    expect(taken.status).toBe(201);
    const objects = r2ObjectCount(stack.worker);
    const fileRows = await fileRowCount();
    // The purchase date stated: the one-round-trip batch is tried and refused by the open RMA's unique index.
    const { email, body } = ownRequest(units, true);
    const res = await postApi(multipart(body, [{ field: "units.0.files", name: "a.png", bytes: bytesOf(PNG, 3000) }]));
    expect(res.status).toBe(422);
    expect(((await res.json()) as Err).error.code).toBe("units_refused");
    expect(await rows("SELECT id FROM return_requests WHERE email = ?", [email])).toEqual([]);
    expect(await fileRowCount()).toBe(fileRows);
    expect(await settledObjects(stack.worker, objects)).toBe(objects);
  });

  it("a batch that fails after the files were stored writes nothing, and the hourly job removes the objects", async () => {
    const units = freshUnits(2);
    const { email, body } = ownRequest(units);
    const objects = r2ObjectCount(stack.worker);
    const fileRows = await fileRowCount();
    await rows(
      "CREATE TRIGGER test_refuse_request_files BEFORE INSERT ON rma_files BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
    );
    try {
      const res = await postApi(
        multipart(body, [
          { field: "units.0.files", name: "a.png", bytes: bytesOf(PNG, 5000) },
          { field: "units.1.files", name: "b.png", bytes: bytesOf(PNG, 6000) },
        ]),
      );
      expect(res.status).toBe(500);
    } finally {
      await rows("DROP TRIGGER test_refuse_request_files");
    }
    expect(await rows("SELECT id FROM return_requests WHERE email = ?", [email])).toEqual([]);
    for (const u of units) expect(await rows("SELECT 1 FROM rmas WHERE serial_number = ?", [u.serialNumber])).toEqual([]);
    expect(await fileRowCount()).toBe(fileRows);
    // The pieces are in R2 without rows (nobody can reach them) until the job runs.
    expect(r2ObjectCount(stack.worker)).toBe(objects + 2);
    expect((await triggerScheduled(stack.worker)).status).toBe(200);
    expect(await settledObjects(stack.worker, objects)).toBe(objects);
  });
});

describe("the request form without JavaScript (a multipart post to the page)", () => {
  function formWithFiles(units: RegistryRow[], files: Upload[], email: string): FormData {
    const f = new FormData();
    const fields = requestForm(units, { "contact.email": email });
    // In the page's order: a unit's files after its fields, the terms and the button last.
    const terms = fields.get("acceptTerms") ?? "";
    fields.delete("acceptTerms");
    for (const [k, v] of fields) f.append(k, v);
    for (const file of files) f.append(file.field, blob(file.bytes), file.name);
    f.append("acceptTerms", terms);
    f.append("intent", "submit");
    return f;
  }
  const postPage = (body: FormData, path = "/rma/new") =>
    fetch(`${stack.worker.url}${path}`, { method: "POST", headers: { origin: stack.worker.url }, body, redirect: "manual" });

  it("issues the request with its files and goes on to the confirmation", async () => {
    const units = freshUnits(2);
    const email = `form-${++emails}@example.com`;
    const res = await postPage(
      formWithFiles(units, [{ field: "units.1.files", name: "connector.png", bytes: bytesOf(PNG, 3000) }], email),
    );
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/rma\/requests\//);
    const stored = await rows(
      "SELECT f.name, r.serial_number FROM rma_files f JOIN rmas r ON r.rma_number = f.rma_number JOIN return_requests q ON q.id = f.request_id WHERE q.email = ?",
      [email],
    );
    expect(stored).toEqual([{ name: "connector.png", serial_number: units[1]?.serialNumber }]);
    // The confirmation lists the file under the unit it was sent with, and under no other.
    const page = await (await fetch(`${stack.worker.url}${res.headers.get("location")}`)).text();
    const cells = [...page.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1] ?? "").filter((row) => row.includes("<td"));
    expect(cells).toHaveLength(2);
    expect(cells[0]).not.toContain("connector.png");
    expect(cells[1]).toContain("Files sent with the request");
    expect(cells[1]).toMatch(/connector\.png \(3 KB\)/);
  });

  it("a refused file brings the form back with every value kept (also those after the file) and the message at that unit's file field", async () => {
    const units = freshUnits(2);
    const email = `form-${++emails}@example.com`;
    const objects = r2ObjectCount(stack.worker);
    const fileRows = await fileRowCount();
    const res = await postPage(
      formWithFiles(
        units,
        [
          { field: "units.0.files", name: "fine.png", bytes: bytesOf(PNG, 3000) },
          { field: "units.1.files", name: "setup.jpg", bytes: bytesOf(enc.encode("MZ\x90\x00"), 3000) },
        ],
        email,
      ),
      "/it/rma/new",
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<p class="error" id="f-units-1-files-error"[^>]*>«setup\.jpg» è un programma/);
    expect(html).toContain("li selezioni di nuovo prima di inviare");
    // Every value kept, the second unit's and the terms (posted after the refused file) too.
    expect(html).toContain(`value="${units[1]?.serialNumber}"`);
    expect(html).toContain(`value="${email}"`);
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*id="f-acceptTerms"[^>]*checked/);
    expect(html).toMatch(/<input[^>]*type="file"[^>]*name="units\.1\.files"/);
    await nothingStoredFor(email, units, objects, fileRows);
  });

  it("a refusal after the files were stored (an invalid field) deletes them, and the form says to choose them again", async () => {
    const units = freshUnits(1);
    const email = `form-${++emails}@example.com`;
    const objects = r2ObjectCount(stack.worker);
    const body = formWithFiles(units, [{ field: "units.0.files", name: "fine.png", bytes: bytesOf(PNG, 3000) }], email);
    body.set("contact.phone", "");
    const res = await postPage(body);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Files are not kept when the form comes back: choose them again before sending.");
    await nothingStoredFor(email, units, objects, await fileRowCount());
  });
});
