/** A stand-in for Resend's HTTP API on loopback: the real SDK talks to it. */
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { readAll } from "./http.ts";

export interface ReceivedEmail {
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  body: { from: string; to: string | string[]; subject: string; text: string; html: string };
}

export interface FakeResend {
  url: string;
  /** Emails sent, one per idempotency key (a repeated key is answered with the first result, as Resend does). */
  received: ReceivedEmail[];
  /** Every POST /emails answered 200, repeats included: a key listed twice was sent twice by the portal. */
  accepted: string[];
  /** POST /emails answered 500 (mode `fail`). */
  failures: number;
  /** `ok` answers 200, `fail` answers 500. */
  mode: "ok" | "fail";
  /** The next this-many POST /emails are answered 429 with `Retry-After: 1` (Resend's rate limit). */
  tooManyFor: number;
  /** POST /emails answered 429. */
  rateLimited: number;
  /** When each POST /emails arrived (ms since the epoch), 429s included. */
  arrivals: number[];
  /** Stops listening (connections refused) until `comeBack`, on the same port. */
  goDown(): Promise<void>;
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeResend(): Promise<FakeResend> {
  const state = {
    received: [] as ReceivedEmail[],
    accepted: [] as string[],
    failures: 0,
    mode: "ok" as "ok" | "fail",
    tooManyFor: 0,
    rateLimited: 0,
    arrivals: [] as number[],
  };
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const text = (await readAll(req)).toString();
    if (req.method !== "POST" || req.url !== "/emails") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"name":"not_found","message":"no such route"}');
      return;
    }
    state.arrivals.push(Date.now());
    if (state.tooManyFor > 0) {
      state.tooManyFor--;
      state.rateLimited++;
      res
        .writeHead(429, { "content-type": "application/json", "retry-after": "1" })
        .end(
          '{"statusCode":429,"name":"rate_limit_exceeded","message":"Too many requests. You can only make 2 requests per second."}',
        );
      return;
    }
    if (state.mode === "fail") {
      state.failures++;
      res
        .writeHead(500, { "content-type": "application/json" })
        .end('{"name":"internal_server_error","message":"provider down"}');
      return;
    }
    const key = req.headers["idempotency-key"];
    const idempotencyKey = Array.isArray(key) ? key[0] : key;
    state.accepted.push(idempotencyKey ?? "");
    // Resend answers a repeated idempotency key with the first result and sends nothing new.
    const earlier = state.received.findIndex((r) => idempotencyKey && r.idempotencyKey === idempotencyKey);
    if (earlier < 0) state.received.push({ authorization: req.headers.authorization, idempotencyKey, body: JSON.parse(text) });
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ id: `fake-${earlier < 0 ? state.received.length : earlier + 1}` }));
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const down = () =>
    new Promise<void>((r) => {
      if (!server.listening) return r();
      server.close(() => r());
      for (const s of sockets) s.destroy();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get accepted() {
      return state.accepted;
    },
    get failures() {
      return state.failures;
    },
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    get tooManyFor() {
      return state.tooManyFor;
    },
    set tooManyFor(n) {
      state.tooManyFor = n;
    },
    get rateLimited() {
      return state.rateLimited;
    },
    get arrivals() {
      return state.arrivals;
    },
    goDown: down,
    comeBack: () => new Promise<void>((r) => (server.listening ? r() : server.listen(port, "127.0.0.1", () => r()))),
    close: down,
  };
}
