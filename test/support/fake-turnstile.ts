/** A stand-in for Cloudflare Turnstile's siteverify on loopback: `PASS_TOKEN` verifies, anything else does not. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readAll } from "./http.ts";

export const PASS_TOKEN = "XXXX.DUMMY.TOKEN.PASS";

export interface FakeTurnstile {
  /** The siteverify address, for TURNSTILE_VERIFY_URL. */
  url: string;
  /** Each verification asked: the form fields the Worker sent. */
  asked: Record<string, string>[];
  close(): Promise<void>;
}

export async function startFakeTurnstile(secret: string): Promise<FakeTurnstile> {
  const asked: Record<string, string>[] = [];
  const server = createServer(async (req, res) => {
    const fields = Object.fromEntries(new URLSearchParams((await readAll(req)).toString()));
    asked.push(fields);
    const success = req.method === "POST" && fields["secret"] === secret && fields["response"] === PASS_TOKEN;
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(
        JSON.stringify(
          success ? { success: true, "error-codes": [] } : { success: false, "error-codes": ["invalid-input-response"] },
        ),
      );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/turnstile/v0/siteverify`,
    asked,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
