/** A stand-in for Resend's HTTP API on loopback: the real SDK talks to it. */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedEmail {
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  body: { from: string; to: string | string[]; subject: string; text: string; html: string };
}

export interface FakeResend {
  url: string;
  received: ReceivedEmail[];
  /** `ok` answers 200, `fail` answers 500. */
  mode: "ok" | "fail";
  close(): Promise<void>;
}

const readAll = (req: IncomingMessage) =>
  new Promise<string>((res) => {
    let data = "";
    req.on("data", (c) => {
      data += c;
    });
    req.on("end", () => res(data));
  });

export async function startFakeResend(): Promise<FakeResend> {
  const state = { received: [] as ReceivedEmail[], mode: "ok" as "ok" | "fail" };
  const server = createServer(async (req, res) => {
    const text = await readAll(req);
    if (req.method !== "POST" || req.url !== "/emails") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"name":"not_found","message":"no such route"}');
      return;
    }
    if (state.mode === "fail") {
      res
        .writeHead(500, { "content-type": "application/json" })
        .end('{"name":"internal_server_error","message":"provider down"}');
      return;
    }
    const key = req.headers["idempotency-key"];
    const idempotencyKey = Array.isArray(key) ? key[0] : key;
    // Resend answers a repeated idempotency key with the first result and sends nothing new.
    const earlier = state.received.findIndex((r) => idempotencyKey && r.idempotencyKey === idempotencyKey);
    if (earlier < 0) state.received.push({ authorization: req.headers.authorization, idempotencyKey, body: JSON.parse(text) });
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ id: `fake-${earlier < 0 ? state.received.length : earlier + 1}` }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
