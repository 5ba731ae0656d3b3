/**
 * What the "My returns" pages do before they render, in every language: the thin route files under
 * src/pages/account/ and src/pages/[locale]/account/ call these and render the component they name.
 * Forms post to the page itself and work without JavaScript.
 */
import { env } from "cloudflare:workers";
import type { AstroGlobal } from "astro";
import { createDb, type Db } from "@/db/client.ts";
import { asApiError } from "@/functions/errors.ts";
import { clientAddress } from "@/functions/http/client.ts";
import { isLocale, type Locale } from "@/functions/i18n/index.ts";
import { say } from "@/functions/i18n/text.ts";
import { linkContext } from "@/functions/links.ts";
import { SIGN_IN_LINK_MINUTES } from "@/functions/services/account/limits.ts";
import { accountPath, type UnitLinks, unitLinks } from "@/functions/services/account/links.ts";
import {
  type AccountRequestGroup,
  type AccountUnit,
  listReturns,
  type ReturnsQuery,
  readReturnsQuery,
  type UnitHistory,
  unitHistory,
} from "@/functions/services/account/returns.ts";
import {
  type CustomerSession,
  clearCustomerCookie,
  customerCookie,
  customerOf,
  customerTokenFrom,
  deleteCustomerSession,
} from "@/functions/services/account/session.ts";
import { checkSignInLink, emailSchema, mailSignInLink, useSignInLink } from "@/functions/services/account/sign-in.ts";
import { readPageForm } from "@/src/lib/page-form.ts";

/** The locale of a `[locale]` route (Italian or German; English has no prefix), or null for a 404. */
export function prefixedLocale(param: string | undefined): Locale | null {
  return isLocale(param) && param !== "en" ? param : null;
}

function redirect(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { Location: location, ...headers } });
}

export type ListedUnit = AccountUnit & { links: UnitLinks };
export type ListedGroup = Omit<AccountRequestGroup, "units"> & { units: ListedUnit[] };

export type IndexPage =
  | { kind: "sign-in"; email: string; error?: string | undefined; message?: string | undefined; sent: boolean }
  | { kind: "list"; customer: CustomerSession; groups: ListedGroup[]; next: string | null; query: ReturnsQuery; first: boolean };

async function withLinks(groups: AccountRequestGroup[], secret: string, locale: Locale): Promise<ListedGroup[]> {
  return Promise.all(
    groups.map(async (g) => ({
      ...g,
      units: await Promise.all(g.units.map(async (u) => ({ ...u, links: await unitLinks(secret, u, locale) }))),
    })),
  );
}

/** `/account`: the email form (and its "check your inbox" answer), or the list once signed in. */
export async function indexPage(Astro: AstroGlobal, locale: Locale): Promise<IndexPage | Response> {
  const db = createDb(env);
  const now = new Date();
  const request = Astro.request;
  if (request.method === "POST") {
    const read = await readPageForm(request);
    const typed = read.ok ? (read.fields["email"] ?? "") : "";
    if (!read.ok) {
      Astro.response.status = read.status;
      return { kind: "sign-in", email: typed.slice(0, 254), message: say(locale, read.text), sent: false };
    }
    const parsed = emailSchema(locale).safeParse({ email: typed });
    if (!parsed.success) {
      Astro.response.status = 422;
      return { kind: "sign-in", email: typed.slice(0, 254), error: parsed.error.issues[0]?.message, sent: false };
    }
    try {
      await mailSignInLink(
        db,
        env,
        {
          email: parsed.data.email,
          locale,
          clientAddress: clientAddress(request.headers),
          now,
          baseUrl: linkContext(env, request.url).baseUrl,
        },
        (p) => Astro.locals.cfContext.waitUntil(p),
      );
    } catch (err) {
      const e = asApiError(err);
      Astro.response.status = e.status;
      if (e.retryAfterSeconds) Astro.response.headers.set("Retry-After", String(e.retryAfterSeconds));
      return { kind: "sign-in", email: parsed.data.email, message: e.message, sent: false };
    }
    return redirect(`${accountPath(locale)}?sent=1`);
  }
  const customer = await customerOf(db, request, now);
  if (!customer) return { kind: "sign-in", email: "", sent: Astro.url.searchParams.get("sent") === "1" };
  // The cookie lives as long as the session now does (slid by this visit).
  Astro.response.headers.append(
    "Set-Cookie",
    customerCookie(request.url, customerTokenFrom(request.headers.get("cookie"), request.url) ?? "", customer.expiresAt, now),
  );
  const query = readReturnsQuery(Astro.url.searchParams);
  const page = await listReturns(db, customer.email, query, now);
  return {
    kind: "list",
    customer,
    groups: await withLinks(page.groups, linkContext(env, request.url).secret, locale),
    next: page.next,
    query,
    first: !query.after,
  };
}

export type SignInPage = { kind: "confirm"; email: string; token: string } | { kind: "refused"; message: string; status: number };

/**
 * `/account/sign-in?token=…`: a GET only shows the button (a mail scanner opening the link does not use
 * it up); the button's POST uses the link, opens the session and goes to the list.
 */
export async function signInPage(Astro: AstroGlobal, locale: Locale): Promise<SignInPage | Response> {
  const db = createDb(env);
  const now = new Date();
  const request = Astro.request;
  const address = clientAddress(request.headers);
  try {
    if (request.method === "POST") {
      const read = await readPageForm(request);
      const token = read.ok ? (read.fields["token"] ?? "") : "";
      const opened = await useSignInLink(db, { token, now, locale, clientAddress: address });
      return redirect(accountPath(locale), { "Set-Cookie": customerCookie(request.url, opened.token, opened.expiresAt, now) });
    }
    const token = Astro.url.searchParams.get("token") ?? "";
    const state = await checkSignInLink(db, { token, now, locale, clientAddress: address });
    if (state.ok) return { kind: "confirm", email: state.email, token };
    Astro.response.status = state.refusal.status;
    return { kind: "refused", message: state.refusal.message, status: state.refusal.status };
  } catch (err) {
    const e = asApiError(err);
    Astro.response.status = e.status;
    if (e.retryAfterSeconds) Astro.response.headers.set("Retry-After", String(e.retryAfterSeconds));
    return { kind: "refused", message: e.message, status: e.status };
  }
}

export type UnitPage =
  | { kind: "unit"; history: UnitHistory; links: Map<string, UnitLinks> }
  | { kind: "not-found"; serial: string };

/** `/account/units/{serial}`: one unit's history, for its owner; anyone else is sent to sign in. */
export async function unitPage(Astro: AstroGlobal, locale: Locale, serial: string): Promise<UnitPage | Response> {
  const db: Db = createDb(env);
  const now = new Date();
  const customer = await customerOf(db, Astro.request, now);
  if (!customer) return redirect(accountPath(locale));
  // The cookie lives as long as the session now does (slid by this visit).
  const token = customerTokenFrom(Astro.request.headers.get("cookie"), Astro.request.url) ?? "";
  Astro.response.headers.append("Set-Cookie", customerCookie(Astro.request.url, token, customer.expiresAt, now));
  const history = await unitHistory(db, customer.email, serial, now, locale);
  if (!history) {
    Astro.response.status = 404;
    return { kind: "not-found", serial: serial.slice(0, 40) };
  }
  const secret = linkContext(env, Astro.request.url).secret;
  const links = new Map<string, UnitLinks>();
  for (const rma of history.rmas) links.set(rma.rmaNumber, await unitLinks(secret, rma, locale));
  return { kind: "unit", history, links };
}

/** `/account/sign-out`: a POST ends the session (its row is deleted) and clears the cookie; a GET shows the button. */
export async function signOutPage(Astro: AstroGlobal): Promise<{ signedOut: boolean }> {
  const db = createDb(env);
  const request = Astro.request;
  if (request.method === "POST") {
    await deleteCustomerSession(db, customerTokenFrom(request.headers.get("cookie"), request.url));
    Astro.response.headers.append("Set-Cookie", clearCustomerCookie(request.url));
    return { signedOut: true };
  }
  return { signedOut: !(await customerOf(db, request)) };
}

export { SIGN_IN_LINK_MINUTES };
