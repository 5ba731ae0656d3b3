/**
 * Messages and attachments through the built Worker into its local R2 (Miniflare, on disk): uploads
 * with their rows and SHA-256, every refusal (too many, too big while streaming, too much together,
 * wrong type by content, a renamed executable, HTML and SVG) leaving nothing stored, a ZIP holding an
 * .html served as a download, the all-or-nothing rule (R2 write fails → no rows; database write fails →
 * the hourly job removes the pieces), who may read a file, messages both ways with their emails in the
 * outbox, and stored markup kept as text.
 */

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { CUSTOMER_MESSAGE_LIMIT } from "../../functions/services/messages/post.ts";
import { englishLeft } from "../support/english.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { signInToWorker } from "../support/staff.ts";
import { fileBytes as bytesOf, PNG_HEAD as PNG } from "../support/staff-history.ts";
import {
  breakR2Writes,
  postFromPortal,
  r2ObjectCount,
  settledObjects,
  TEST_LINK_SECRET,
  triggerScheduled,
  useStack,
} from "../support/worker.ts";

const stack = useStack({ vars: { FILES_ORPHAN_MINUTES: "0", STAFF_EMAIL: "desk@alkeria.example" } });

type Err = { error: { code: string; message: string; fields?: Record<string, string> } };

const enc = new TextEncoder();

/** A minimal ZIP holding one stored (uncompressed) entry. */
function zipWith(name: string, content: string): Uint8Array {
  const n = enc.encode(name);
  const data = enc.encode(content);
  const header = new Uint8Array(30 + n.length);
  const v = new DataView(header.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint32(18, data.length, true);
  v.setUint32(22, data.length, true);
  v.setUint16(26, n.length, true);
  header.set(n, 30);
  const out = new Uint8Array(header.length + data.length);
  out.set(header, 0);
  out.set(data, header.length);
  return out;
}

async function newRma(): Promise<{ n: string; t: string }> {
  const { rmaNumbers } = await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)));
  const n = rmaNumbers[0] ?? "";
  return { n, t: await signToken(TEST_LINK_SECRET, "rma", n) };
}

function form(fields: Record<string, string>, files: { name: string; bytes: Uint8Array; type?: string }[] = []): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const file of files)
    f.append(
      "files",
      new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? "application/octet-stream" }),
      file.name,
    );
  return f;
}

const post = (path: string, body: FormData | object, headers: Record<string, string> = {}) =>
  postFromPortal(stack.worker, path, body, headers);

const rows = (sql: string, args: (string | number)[] = []) => stack.db.query(sql, args);

describe("uploading with a message", () => {
  it("stores a photo and a log in R2 with their rows (name, type by content, size, SHA-256, who) and serves them back", async () => {
    const { n, t } = await newRma();
    const log = enc.encode("2026-11-30 10:00:01 USB3 link lost\n2026-11-30 10:00:02 retry\n");
    const photo = bytesOf(PNG, 1_500_000);
    const res = await post(
      `/api/rmas/${n}/messages?t=${t}`,
      form({ body: "Photo and log attached." }, [
        // The declared types are wrong on purpose: only the content counts.
        { name: "label.png", bytes: photo, type: "text/html" },
        { name: "camera.log", bytes: log },
      ]),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const { message } = (await res.json()) as {
      message: { id: string; files: { id: string; name: string; contentType: string }[] };
    };
    expect(message.files.map((f) => [f.name, f.contentType])).toEqual([
      ["label.png", "image/png"],
      ["camera.log", "text/plain; charset=utf-8"],
    ]);
    const stored = await rows(
      "SELECT name, content_type, size, sha256, pieces, uploaded_by, message_id FROM rma_files WHERE rma_number = ? ORDER BY name",
      [n],
    );
    expect(stored).toEqual([
      {
        name: "camera.log",
        content_type: "text/plain; charset=utf-8",
        size: log.length,
        sha256: createHash("sha256").update(log).digest("hex"),
        pieces: 1,
        uploaded_by: "customer",
        message_id: message.id,
      },
      {
        name: "label.png",
        content_type: "image/png",
        size: photo.length,
        sha256: createHash("sha256").update(photo).digest("hex"),
        pieces: 2,
        uploaded_by: "customer",
        message_id: message.id,
      },
    ]);
    const pngFile = message.files[0]?.id ?? "";
    const served = await fetch(`${stack.worker.url}/api/rmas/${n}/files/${pngFile}?t=${t}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("content-disposition")).toMatch(/^inline; filename="label.png"/);
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toBe("sandbox");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(photo);
    const logServed = await fetch(`${stack.worker.url}/api/rmas/${n}/files/${message.files[1]?.id}?t=${t}`);
    expect(logServed.headers.get("content-disposition")).toMatch(/^attachment; filename="camera.log"/);
    expect(await logServed.text()).toBe(new TextDecoder().decode(log));
  });

  it("a ZIP with an .html inside is accepted and served only as a download", async () => {
    const { n, t } = await newRma();
    const zip = zipWith("report.html", "<script>alert(1)</script>");
    const res = await post(
      `/api/rmas/${n}/messages?t=${t}`,
      form({ body: "Archive of the report." }, [{ name: "report.zip", bytes: zip }]),
    );
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as { message: { files: { id: string }[] } };
    const served = await fetch(`${stack.worker.url}/api/rmas/${n}/files/${message.files[0]?.id}?t=${t}`);
    expect(served.headers.get("content-type")).toBe("application/zip");
    expect(served.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(served.headers.get("content-security-policy")).toBe("sandbox");
  });
});

describe("refusals store nothing", () => {
  const cases: {
    what: string;
    files: { name: string; bytes: Uint8Array }[];
    status: number;
    code: string;
    names: string;
    says: RegExp;
  }[] = [
    {
      what: "a sixth file",
      files: Array.from({ length: 6 }, (_, i) => ({ name: `photo-${i + 1}.png`, bytes: bytesOf(PNG, 1000) })),
      status: 422,
      code: "too_many_files",
      names: "photo-6.png",
      says: /at most 5 files/,
    },
    {
      what: "a file over 10 MB (refused while streaming)",
      files: [{ name: "big.png", bytes: bytesOf(PNG, 10 * 1024 * 1024 + 1) }],
      status: 413,
      code: "file_too_large",
      names: "big.png",
      says: /larger than 10 MB/,
    },
    {
      what: "more than 25 MB together",
      files: [1, 2, 3].map((i) => ({ name: `part-${i}.png`, bytes: bytesOf(PNG, 9 * 1024 * 1024) })),
      status: 413,
      code: "submission_too_large",
      names: "part-3.png",
      says: /larger than 25 MB/,
    },
    {
      what: "a renamed executable",
      files: [{ name: "photo.jpg", bytes: bytesOf(enc.encode("MZ\x90\x00"), 4000) }],
      status: 422,
      code: "file_refused",
      names: "photo.jpg",
      says: /is a program/,
    },
    {
      what: "an HTML page called .txt",
      files: [{ name: "notes.txt", bytes: enc.encode("<!DOCTYPE html><html><script>alert(1)</script></html>") }],
      status: 422,
      code: "file_refused",
      names: "notes.txt",
      says: /web page/,
    },
    {
      what: "an SVG",
      files: [
        {
          name: "drawing.svg",
          bytes: enc.encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        },
      ],
      status: 422,
      code: "file_refused",
      names: "drawing.svg",
      says: /web page/,
    },
    {
      what: "binary of no accepted type",
      files: [{ name: "dump.bin", bytes: bytesOf(Uint8Array.from([0, 1, 2, 3, 0xfe]), 5000) }],
      status: 422,
      code: "file_refused",
      names: "dump.bin",
      says: /not a type we accept/,
    },
  ];
  for (const c of cases) {
    it(`${c.what}: ${c.status} ${c.code}, naming the file, no row, no object`, async () => {
      const { n, t } = await newRma();
      const before = r2ObjectCount(stack.worker);
      const res = await post(`/api/rmas/${n}/messages?t=${t}`, form({ body: "See the files." }, c.files));
      const body = (await res.json()) as Err;
      expect(res.status, JSON.stringify(body)).toBe(c.status);
      expect(body.error.code).toBe(c.code);
      expect(body.error.message).toContain(`“${c.names}”`);
      expect(body.error.message).toMatch(c.says);
      expect(await rows("SELECT id FROM rma_messages WHERE rma_number = ?", [n])).toEqual([]);
      expect(await rows("SELECT id FROM rma_files WHERE rma_number = ?", [n])).toEqual([]);
      expect(await settledObjects(stack.worker, before)).toBe(before);
    });
  }
});

describe("malformed bodies", () => {
  it("a multipart body cut short, an unexpected field, another content type, and a made-up file id are refused in the one error shape", async () => {
    const { n, t } = await newRma();
    const before = r2ObjectCount(stack.worker);
    const raw = (body: string, type: string) =>
      fetch(`${stack.worker.url}/api/rmas/${n}/messages?t=${t}`, {
        method: "POST",
        headers: { origin: stack.worker.url, "content-type": type },
        body,
      });
    const cut = await raw(
      '--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nsome log text that never ends',
      "multipart/form-data; boundary=XyZ",
    );
    expect(cut.status).toBe(400);
    expect(((await cut.json()) as Err).error.code).toBe("invalid_multipart");
    const extra = await post(`/api/rmas/${n}/messages?t=${t}`, form({ body: "x", admin: "1" }));
    expect(extra.status).toBe(422);
    expect(((await extra.json()) as Err).error.fields).toHaveProperty("admin");
    const text = await raw("hello", "text/plain");
    expect(text.status).toBe(415);
    const noBoundary = await raw("hello", "multipart/form-data");
    expect(noBoundary.status).toBe(415);
    for (const id of ["..%2F..%2Fetc%2Fpasswd", "00000000-0000-0000-0000-000000000000", "files%2Fx%2F0"]) {
      const res = await fetch(`${stack.worker.url}/api/rmas/${n}/files/${id}?t=${t}`);
      expect(res.status, id).toBe(404);
      expect(((await res.json()) as Err).error.code, id).toBe("not_found");
    }
    expect(await rows("SELECT count(*) AS n FROM rma_messages WHERE rma_number = ?", [n])).toEqual([{ n: 0 }]);
    expect(await settledObjects(stack.worker, before)).toBe(before);
  });
});

describe("refusals in the customer's language", () => {
  it("Accept-Language: it gives the refusal in Italian, still naming the file", async () => {
    const { n, t } = await newRma();
    const res = await post(
      `/api/rmas/${n}/messages?t=${t}`,
      form({ body: "Un file." }, [{ name: "programma.pdf", bytes: bytesOf(enc.encode("\x7fELF"), 2000) }]),
      { "accept-language": "it-IT,it;q=0.9" },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as Err).error.message).toMatch(/^«programma\.pdf» è un programma/);
  });

  it("a JSON message's locale field gives its refusals in that language, without Accept-Language", async () => {
    const { n, t } = await newRma();
    const res = await post(`/api/rmas/${n}/messages`, { t, body: "", locale: "de" });
    expect(res.status).toBe(422);
    const english = await post(`/api/rmas/${n}/messages`, { t, body: "" });
    const [de, en] = [(await res.json()) as Err, (await english.json()) as Err];
    expect(de.error.code).toBe(en.error.code);
    expect(de.error.message).not.toBe(en.error.message);
    expect(englishLeft(de.error.message)).toEqual([]);
  });
});

describe("all or nothing", () => {
  it("an R2 write that fails stores no rows and answers 503", async () => {
    const { n, t } = await newRma();
    const restore = breakR2Writes(stack.worker);
    try {
      const res = await post(
        `/api/rmas/${n}/messages?t=${t}`,
        form({ body: "A photo." }, [{ name: "a.png", bytes: bytesOf(PNG, 5000) }]),
      );
      expect(res.status).toBe(503);
      expect(((await res.json()) as Err).error.code).toBe("files_unavailable");
    } finally {
      restore();
    }
    expect(await rows("SELECT id FROM rma_messages WHERE rma_number = ?", [n])).toEqual([]);
    expect(await rows("SELECT id FROM rma_files WHERE rma_number = ?", [n])).toEqual([]);
  });

  it("a database write that fails after the files were stored leaves no rows, and the hourly job removes the objects", async () => {
    const { n, t } = await newRma();
    const before = r2ObjectCount(stack.worker);
    await rows(
      "CREATE TRIGGER test_refuse_files BEFORE INSERT ON rma_files BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
    );
    try {
      const res = await post(
        `/api/rmas/${n}/messages?t=${t}`,
        form({ body: "Two photos." }, [
          { name: "a.png", bytes: bytesOf(PNG, 5000) },
          { name: "b.png", bytes: bytesOf(PNG, 6000) },
        ]),
      );
      expect(res.status).toBe(500);
    } finally {
      await rows("DROP TRIGGER test_refuse_files");
    }
    expect(await rows("SELECT id FROM rma_messages WHERE rma_number = ?", [n])).toEqual([]);
    expect(await rows("SELECT count(*) AS n FROM outbox WHERE rma_number = ?", [n])).toEqual([{ n: 0 }]);
    // The pieces are in R2 without rows (nobody can reach them) until the job runs.
    expect(r2ObjectCount(stack.worker)).toBe(before + 2);
    expect((await triggerScheduled(stack.worker)).status).toBe(200);
    expect(await settledObjects(stack.worker, before)).toBe(before);
  });
});

describe("who may read a file", () => {
  it("the RMA's link and signed-in staff only: another RMA's link, no link, a signed-out session are refused", async () => {
    const a = await newRma();
    const b = await newRma();
    const res = await post(
      `/api/rmas/${a.n}/messages?t=${a.t}`,
      form({ body: "x" }, [{ name: "a.png", bytes: bytesOf(PNG, 3000) }]),
    );
    const { message } = (await res.json()) as { message: { files: { id: string }[] } };
    const id = message.files[0]?.id ?? "";
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.worker.url}${path}`, { headers });
    expect((await get(`/api/rmas/${a.n}/files/${id}?t=${a.t}`)).status).toBe(200);
    // B's link on A's file: the link is not A's.
    expect((await get(`/api/rmas/${a.n}/files/${id}?t=${b.t}`)).status).toBe(403);
    // B's link on B's address with A's file id: no such file on B.
    expect((await get(`/api/rmas/${b.n}/files/${id}?t=${b.t}`)).status).toBe(404);
    expect((await get(`/api/rmas/${a.n}/files/${id}`)).status).toBe(401);
    const cookie = await signInToWorker(stack.worker.url);
    expect((await get(`/api/rmas/${a.n}/files/${id}`, { cookie })).status).toBe(200);
    const out = await fetch(`${stack.worker.url}/api/admin/session`, {
      method: "DELETE",
      headers: { cookie, origin: stack.worker.url },
    });
    expect(out.status).toBeLessThan(300);
    expect((await get(`/api/rmas/${a.n}/files/${id}`, { cookie })).status).toBe(401);
  });
});

describe("messages both ways", () => {
  it("the customer writes (JSON with the email): the desk gets an email with a link to the staff page", async () => {
    const { n } = await newRma();
    const res = await post(`/api/rmas/${n}/messages`, { email: "giulia@example.com", body: "Which firmware do you need?" });
    expect(res.status).toBe(201);
    const [mail] = await rows(
      "SELECT recipient, subject, text FROM outbox WHERE rma_number = ? AND subject LIKE 'Customer message%'",
      [n],
    );
    expect(mail?.["recipient"]).toBe("desk@alkeria.example");
    expect(String(mail?.["text"])).toContain("> Which firmware do you need?");
    expect(String(mail?.["text"])).toContain(`/admin/rma/${n}`);
    // A wrong email is the lookup's 404.
    expect((await post(`/api/rmas/${n}/messages`, { email: "someone@example.com", body: "hi" })).status).toBe(404);
  });

  it("staff answer with a file: the customer gets an email in the request's language with the RMA page's link; both histories show it", async () => {
    const { n, t } = await newRma();
    await rows("UPDATE return_requests SET locale = 'it' WHERE id = (SELECT request_id FROM rmas WHERE rma_number = ?)", [n]);
    const cookie = await signInToWorker(stack.worker.url);
    const res = await post(
      `/api/admin/rmas/${n}/messages`,
      form({ body: "Please send a photo of the connector.\nThank you." }, [{ name: "where.png", bytes: bytesOf(PNG, 2000) }]),
      { cookie },
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const [mail] = await rows(
      "SELECT recipient, subject, text FROM outbox WHERE rma_number = ? AND recipient = 'giulia@example.com' ORDER BY created_at DESC LIMIT 1",
      [n],
    );
    expect(mail?.["subject"]).toBe(`Nuovo messaggio sul suo RMA ${n}`);
    expect(String(mail?.["text"])).toContain(`/rma/${n}?t=`);
    expect(String(mail?.["text"])).toContain("1 file è allegato");
    const customer = (await (await fetch(`${stack.worker.url}/api/rmas/${n}/messages?t=${t}`)).json()) as {
      history: { type: string; from?: string; staff?: string | null; body?: string }[];
    };
    const reply = customer.history.find((e) => e.type === "message");
    expect(reply).toMatchObject({ from: "staff", staff: null, body: "Please send a photo of the connector.\nThank you." });
    expect(customer.history[0]?.type).toBe("event");
    const staff = (await (await fetch(`${stack.worker.url}/api/admin/rmas/${n}/history`, { headers: { cookie } })).json()) as {
      history: { type: string; staff?: string | null }[];
    };
    expect(staff.history.find((e) => e.type === "message")?.staff).toMatch(/@/);
    // Without a session: refused.
    expect((await post(`/api/admin/rmas/${n}/messages`, { body: "x" })).status).toBe(401);
  });

  it("the customer's history leaves out the desk's internal events; the staff history has them with who did it", async () => {
    const { n, t } = await newRma();
    await rows(
      "INSERT INTO rma_events (rma_number, actor, kind, note) VALUES (?, 'staff:desk@alkeria.example', 'assigned', 'Assigned to Marco')",
      [n],
    );
    expect((await post(`/api/rmas/${n}/messages`, { t, body: "Hello" })).status).toBe(201);
    type H = { history: { type: string; note?: string | null; actor?: string | null; from?: string }[] };
    const customer = (await (await fetch(`${stack.worker.url}/api/rmas/${n}/messages?t=${t}`)).json()) as H;
    expect(customer.history.some((e) => e.note === "Assigned to Marco")).toBe(false);
    expect(customer.history.map((e) => e.type)).toEqual(["event", "message"]);
    const cookie = await signInToWorker(stack.worker.url);
    const staff = (await (await fetch(`${stack.worker.url}/api/admin/rmas/${n}/history`, { headers: { cookie } })).json()) as H;
    expect(staff.history.find((e) => e.note === "Assigned to Marco")?.actor).toBe("staff:desk@alkeria.example");
    expect(staff.history.at(-1)).toMatchObject({ type: "message", from: "customer" });
  });

  it("more than 30 customer messages on one RMA in an hour are refused (429 with Retry-After), staff replies are not", async () => {
    const { n, t } = await newRma();
    for (let i = 0; i < CUSTOMER_MESSAGE_LIMIT.limit; i++) {
      expect((await post(`/api/rmas/${n}/messages`, { t, body: `message ${i}` })).status).toBe(201);
    }
    const refused = await post(
      `/api/rmas/${n}/messages?t=${t}`,
      form({ body: "one more" }, [{ name: "a.png", bytes: bytesOf(PNG, 500) }]),
    );
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as Err).error.message).toMatch(/^Too many messages on this RMA/);
    const cookie = await signInToWorker(stack.worker.url);
    expect((await post(`/api/admin/rmas/${n}/messages`, { body: "We read them all." }, { cookie })).status).toBe(201);
  });

  it("a customer message on a closed RMA is refused before its files are read", async () => {
    const { n, t } = await newRma();
    await rows("UPDATE rmas SET status = 'closed', closed_at = ? WHERE rma_number = ?", [new Date().toISOString(), n]);
    const res = await post(
      `/api/rmas/${n}/messages?t=${t}`,
      form({ body: "hello" }, [{ name: "a.png", bytes: bytesOf(PNG, 2000) }]),
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as Err).error.code).toBe("rma_closed");
  });

  it("a browser's form post (no JavaScript) is sent back to the RMA page", async () => {
    const { n, t } = await newRma();
    const res = await fetch(`${stack.worker.url}/api/rmas/${n}/messages?t=${t}`, {
      method: "POST",
      headers: { origin: stack.worker.url, accept: "text/html" },
      body: form({ body: "From the page." }, []),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`^/rma/${n}\\?t=.+#history$`));
    // A refused one goes back to the form with the refusal's key and the file it names; nothing is stored.
    const refused = await fetch(`${stack.worker.url}/api/rmas/${n}/messages?t=${t}`, {
      method: "POST",
      headers: { origin: stack.worker.url, accept: "text/html" },
      body: form(
        { body: "Six photos." },
        Array.from({ length: 6 }, (_, i) => ({ name: `p${i + 1}.png`, bytes: bytesOf(PNG, 500) })),
      ),
      redirect: "manual",
    });
    expect(refused.status).toBe(303);
    const location = new URL(refused.headers.get("location") ?? "", stack.worker.url);
    expect(location.pathname).toBe(`/rma/${n}`);
    expect(location.searchParams.get("messageError")).toBe("tooMany");
    expect(location.searchParams.get("file")).toBe("p6.png");
    expect(location.hash).toBe("#message-form");
    expect(await rows("SELECT count(*) AS n FROM rma_files WHERE rma_number = ?", [n])).toEqual([{ n: 0 }]);
  });
});

describe("the customer's RMA page", () => {
  it("shows one history with the message posted from its Italian form, and sends the form back to the Italian page", async () => {
    const { n, t } = await newRma();
    const page = await (await fetch(`${stack.worker.url}/it/rma/${n}?t=${t}`)).text();
    const action = /<form[^>]*action="([^"]*\/messages[^"]*)"/.exec(page)?.[1]?.replaceAll("&amp;", "&") ?? "";
    expect(action).toBe(`/api/rmas/${n}/messages?t=${t}&lang=it`);
    const res = await fetch(`${stack.worker.url}${action}`, {
      method: "POST",
      headers: { origin: stack.worker.url, accept: "text/html" },
      body: form({ body: "Il connettore è allentato." }, [{ name: "foto.png", bytes: bytesOf(PNG, 800) }]),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const back = res.headers.get("location") ?? "";
    expect(back).toMatch(new RegExp(`^/it/rma/${n}\\?t=.+&sent=message#history$`));
    const after = await (await fetch(`${stack.worker.url}${back}`)).text();
    const history = after.slice(after.indexOf('id="history"'));
    expect(history).toContain("Il connettore è allentato.");
    expect(history).toContain("foto.png");
    // The RMA's request event is in the same list, before the message.
    expect(history.indexOf("entry-event")).toBeLessThan(history.indexOf("entry-message"));
  });
});

describe("stored markup stays text", () => {
  it("a message and a file name with markup are stored as written and escaped in the email's HTML and the file's header", async () => {
    const { n, t } = await newRma();
    const body = '<script>alert("x")</script>\n<a href="https://evil.example">click</a>';
    const name = '<img src=x onerror=alert(1)>"; x=.txt';
    const res = await post(`/api/rmas/${n}/messages?t=${t}`, form({ body }, [{ name, bytes: enc.encode("plain log line\n") }]));
    expect(res.status).toBe(201);
    const [stored] = await rows("SELECT body FROM rma_messages WHERE rma_number = ?", [n]);
    expect(stored?.["body"]).toBe(body);
    const [mail] = await rows("SELECT html FROM outbox WHERE rma_number = ? AND subject LIKE 'Customer message%'", [n]);
    expect(String(mail?.["html"])).not.toContain("<script>");
    expect(String(mail?.["html"])).toContain("&lt;script&gt;");
    expect(String(mail?.["html"])).not.toContain('href="https://evil.example"');
    const { message } = (await res.json()) as { message: { files: { id: string; name: string }[] } };
    const served = await fetch(`${stack.worker.url}/api/rmas/${n}/files/${message.files[0]?.id}?t=${t}`);
    const disposition = served.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="<img src=x onerror=alert\(1\)>; x=.txt"; filename\*=UTF-8''/);
    expect(served.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });
});
