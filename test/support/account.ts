/** "My returns" in tests: the sign-in flow through the built Worker, with the link read from the outbox. */
import type { TestDatabase } from "./database.ts";

export interface Site {
  url: string;
}

/** The built Worker of a `useStack()` as a `Site`, read when used (the stack starts in `beforeAll`). */
export function siteOf(stack: { worker: { url: string } }): Site {
  return {
    get url() {
      return stack.worker.url;
    },
  };
}

export function postForm(site: Site, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${site.url}${path}`, {
    method: "POST",
    headers: { origin: site.url, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
}

export function postJson(site: Site, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${site.url}${path}`, {
    method: "POST",
    headers: { origin: site.url, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    redirect: "manual",
  });
}

export const getPage = (site: Site, path: string, headers: Record<string, string> = {}) =>
  fetch(`${site.url}${path}`, { headers, redirect: "manual" });

/** The sign-in emails stored for an address, newest first. */
export function signInEmails(db: TestDatabase, email: string) {
  return db.query<{ id: string; subject: string; text: string; html: string; status: string }>(
    "SELECT id, subject, text, html, status FROM outbox WHERE recipient = ? AND dedupe_key LIKE 'sign-in:%' ORDER BY created_at DESC, rowid DESC",
    [email],
  );
}

/** The link in a sign-in email's text, as a path with its query. */
export function linkIn(text: string): { path: string; token: string } {
  const m = /(https?:\/\/[^\s]+\/account\/sign-in\?token=([A-Za-z0-9_-]+))/.exec(text);
  if (!m) throw new Error(`no sign-in link in: ${text}`);
  const url = new URL(m[1] as string);
  return { path: url.pathname + url.search, token: m[2] as string };
}

/** The `rma_customer=…` pair of a Set-Cookie header. */
export const customerCookieOf = (res: Response) => /rma_customer=[^;]*/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "";

/** Asks for a link for `email` (from `address`), uses it, and returns the session's cookie pair. */
export async function signInAs(site: Site, db: TestDatabase, email: string, address = "192.0.2.50"): Promise<string> {
  const asked = await postJson(site, "/api/account/sign-in-link", { email }, { "cf-connecting-ip": address });
  if (asked.status !== 202) throw new Error(`sign-in link refused: ${asked.status} ${await asked.text()}`);
  const [mail] = await signInEmails(db, email.toLowerCase());
  if (!mail) throw new Error(`no sign-in email for ${email}`);
  const used = await postJson(site, "/api/account/session", { token: linkIn(mail.text).token }, { "cf-connecting-ip": address });
  if (used.status !== 200) throw new Error(`sign-in refused: ${used.status} ${await used.text()}`);
  return customerCookieOf(used);
}
