/**
 * "My returns" in the shared page table (test/support/pages.ts) and the shared hostile corpus: a customer
 * session and a sign-in link made straight in the test's own sqld (the sign-in flow itself, email and all,
 * is tested in test/worker/account-sign-in.test.ts; here no email is sent, so the suites that count the
 * outbox's kinds of email see none they do not know), and the account's pages and states in every language.
 */
import { createHash, randomBytes } from "node:crypto";
import { createClient } from "@libsql/client";
import type { PageTarget } from "./pages.ts";

/** What the account's pages need: the fixtures' customer signed in, a sign-in link, one of their units. */
export interface CustomerFixtures {
  /** `rma_customer=…`: a session of the fixtures' request's email address. */
  customerCookie: string;
  /** `/account/sign-in?token=…`: an unused sign-in link of that address. */
  signInLink: string;
  /** A serial number the customer returned (its history page). */
  customerSerial: string;
}

const token = () => randomBytes(32).toString("base64url");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Opens a customer session for `email` and makes an unused sign-in link for it, straight in sqld (as
 * `useSignInLink` and `mailSignInLink` store them: only the SHA-256 of `purpose:token`). The link works for
 * a day, longer than the 15 minutes of a mailed one, so a slow suite still finds it unused and valid.
 */
export async function customerFixtures(databaseUrl: string, email: string, serial: string): Promise<CustomerFixtures> {
  const session = token();
  const link = token();
  const day = new Date(Date.now() + 86_400_000).toISOString();
  const client = createClient({ url: databaseUrl });
  try {
    await client.batch(
      [
        {
          sql: "INSERT INTO customer_sessions (token_hash, email, expires_at) VALUES (?, ?, ?)",
          args: [sha256(`session:${session}`), email.trim().toLowerCase(), day],
        },
        {
          sql: "INSERT INTO customer_sign_in_tokens (token_hash, purpose, email, expires_at) VALUES (?, 'sign-in', ?, ?)",
          args: [sha256(`sign-in:${link}`), email.trim().toLowerCase(), day],
        },
      ],
      "write",
    );
  } finally {
    client.close();
  }
  return { customerCookie: `rma_customer=${session}`, signInLink: `/account/sign-in?token=${link}`, customerSerial: serial };
}

/** The counts of the customer tables: a refused request stores no link, session or email. */
export async function customerRowCounts(db: {
  query<T>(sql: string, args?: (string | number | null)[]): Promise<T[]>;
}): Promise<Record<string, number>> {
  const [row] = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM customer_sign_in_tokens) AS customer_sign_in_tokens,
            (SELECT count(*) FROM customer_sessions) AS customer_sessions, (SELECT count(*) FROM outbox) AS outbox`,
  );
  return { ...row };
}

/**
 * The account's pages and states in one language (`it list`, `de unit history`…; English without a
 * prefix). `customer: true` pages are visited signed in with the fixtures' customer session.
 */
function accountPages(locale: "en" | "it" | "de"): PageTarget[] {
  const at = (path: string) => (locale === "en" ? path : `/${locale}${path}`);
  const name = (what: string) => (locale === "en" ? `My returns ${what}` : `${locale} My returns ${what}`);
  return [
    { name: name("sign-in form"), kind: "on-demand", path: () => at("/account") },
    { name: name("link sent"), kind: "on-demand", path: () => at("/account?sent=1") },
    {
      name: name("email refused at its field"),
      kind: "on-demand",
      path: () => at("/account"),
      open: async (page, baseUrl) => {
        await page.goto(`${baseUrl}${at("/account")}`);
        await page.fill("#f-email", "not-an-address");
        const [res] = await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
        if (res?.status() !== 422) throw new Error(`the email form answered ${res?.status()} instead of 422`);
      },
    },
    { name: name("sign-in link landing"), kind: "on-demand", path: (f) => at(f.signInLink) },
    {
      name: name("sign-in link not valid"),
      kind: "on-demand",
      status: 403,
      path: () => at(`/account/sign-in?token=${"x".repeat(43)}`),
    },
    { name: name("list"), kind: "on-demand", customer: true, path: () => at("/account") },
    { name: name("list filtered, nothing found"), kind: "on-demand", customer: true, path: () => at("/account?status=closed") },
    { name: name("unit history"), kind: "on-demand", customer: true, path: (f) => at(`/account/units/${f.customerSerial}`) },
    {
      name: name("unit not theirs"),
      kind: "on-demand",
      customer: true,
      status: 404,
      path: () => at("/account/units/NOSUCHUNIT"),
    },
    { name: name("sign out"), kind: "on-demand", customer: true, path: () => at("/account/sign-out") },
    { name: name("signed out"), kind: "on-demand", path: () => at("/account/sign-out") },
  ];
}

/** Every page and state of "My returns" in English, Italian and German (11 in each). */
export function accountPageTargets(): PageTarget[] {
  return (["en", "it", "de"] as const).flatMap(accountPages);
}
