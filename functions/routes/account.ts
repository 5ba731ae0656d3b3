/**
 * "My returns" API, `/api/account/*`:
 * - `POST /sign-in-link` `{ email, locale? }` → 202, the same answer whether or not the address has RMAs;
 * - `POST /session` `{ token }` uses a sign-in link → 200 `{ email }` and the `rma_customer` cookie;
 *   `DELETE /session` signs out (204);
 * - with a session: `GET /rmas?status=&q=&after=` (a page of the list), `GET /rmas/{number}`,
 *   `GET /requests/{id}`, `GET /units/{serial}` (a unit's history), `GET /prefill?unit=` (the form's values).
 * Another address's RMA, request or unit answers 404, as one that does not exist.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppBindings } from "../context.ts";
import { ApiError, Refusal } from "../errors.ts";
import { limitBody } from "../http/body.ts";
import { clientAddress } from "../http/client.ts";
import { readJson } from "../http/json-input.ts";
import { isCrossSite } from "../http/protection.ts";
import { isLocale, type Locale, preferredLocales, t } from "../i18n/index.ts";
import { encodeText, text } from "../i18n/text.ts";
import { linkContext } from "../links.ts";
import { SIGN_IN_LINK_MINUTES } from "../services/account/limits.ts";
import { unitLinks } from "../services/account/links.ts";
import {
  type AccountUnit,
  accountRequest,
  accountRma,
  listReturns,
  prefillFor,
  readReturnsQuery,
  unitHistory,
} from "../services/account/returns.ts";
import {
  type CustomerSession,
  clearCustomerCookie,
  customerCookie,
  customerOf,
  customerTokenFrom,
  deleteCustomerSession,
} from "../services/account/session.ts";
import { emailSchema, mailSignInLink, useSignInLink } from "../services/account/sign-in.ts";

interface AccountBindings extends AppBindings {
  Variables: AppBindings["Variables"] & { customer: CustomerSession; locale: Locale };
}

const localeOf = (c: Context) => preferredLocales(c.req.header("accept-language"))[0] ?? "en";

/** Unsafe methods only from the portal's own pages (the cookie is SameSite=Lax, not Strict). */
const sameOrigin: MiddlewareHandler<AccountBindings> = async (c, next) => {
  if (isCrossSite(c.req.raw, new URL(c.req.url).origin, { formsOnly: false })) {
    throw new ApiError(403, "cross_site_forbidden", t(localeOf(c), "account.errors.crossSite"));
  }
  await next();
};

const requireCustomer: MiddlewareHandler<AccountBindings> = async (c, next) => {
  const locale = localeOf(c);
  c.set("locale", locale);
  const customer = await customerOf(c.var.db, c.req.raw);
  if (!customer) throw new Refusal("not_signed_in", t(locale, "account.errors.notSignedIn"));
  c.set("customer", customer);
  await next();
};

const linkSchema = z.strictObject({ email: z.unknown(), locale: z.string().optional() });
const TOKEN_TEXT = encodeText(text("account.errors.token"));
const tokenSchema = z.strictObject({ token: z.string({ error: TOKEN_TEXT }).max(200, { error: TOKEN_TEXT }) });

async function withLinks(c: Context<AccountBindings>, unit: AccountUnit) {
  return { ...unit, links: await unitLinks(linkContext(c.env, c.req.url).secret, unit, c.var.locale) };
}

export const account = new Hono<AccountBindings>()
  .post("/sign-in-link", sameOrigin, limitBody(), async (c) => {
    const raw = await readJson(c, linkSchema);
    const locale: Locale = isLocale(raw.locale) ? raw.locale : localeOf(c);
    const parsed = emailSchema(locale).safeParse({ email: raw.email });
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? t(locale, "account.signIn.emailInvalid");
      throw new Refusal("validation_failed", message, { email: message });
    }
    await mailSignInLink(
      c.var.db,
      c.env,
      {
        email: parsed.data.email,
        locale,
        clientAddress: clientAddress(c.req.raw.headers),
        now: new Date(),
        baseUrl: linkContext(c.env, c.req.url).baseUrl,
      },
      (p) => c.executionCtx.waitUntil(p),
    );
    return c.json({ message: t(locale, "account.signIn.sentBody", { minutes: SIGN_IN_LINK_MINUTES }) }, 202);
  })
  .post("/session", sameOrigin, limitBody(), async (c) => {
    const { token } = await readJson(c, tokenSchema);
    const now = new Date();
    const opened = await useSignInLink(c.var.db, {
      token,
      now,
      locale: localeOf(c),
      clientAddress: clientAddress(c.req.raw.headers),
    });
    c.header("Set-Cookie", customerCookie(c.req.url, opened.token, opened.expiresAt, now));
    return c.json({ email: opened.email });
  })
  .delete("/session", sameOrigin, async (c) => {
    await deleteCustomerSession(c.var.db, customerTokenFrom(c.req.header("cookie"), c.req.url));
    c.header("Set-Cookie", clearCustomerCookie(c.req.url));
    return c.body(null, 204);
  })
  .use("/rmas/:number", requireCustomer)
  .use("/rmas", requireCustomer)
  .use("/requests/:id", requireCustomer)
  .use("/units/:serial", requireCustomer)
  .use("/prefill", requireCustomer)
  .get("/rmas", async (c) => {
    const page = await listReturns(c.var.db, c.var.customer.email, readReturnsQuery(new URL(c.req.url).searchParams), new Date());
    const groups = await Promise.all(
      page.groups.map(async (g) => ({ ...g, units: await Promise.all(g.units.map((u) => withLinks(c, u))) })),
    );
    return c.json({ email: c.var.customer.email, groups, next: page.next });
  })
  .get("/rmas/:number", async (c) => {
    const unit = await accountRma(c.var.db, c.var.customer.email, c.req.param("number"), new Date());
    if (!unit) throw new Refusal("not_found", t(c.var.locale, "account.errors.rmaNotFound"));
    return c.json(await withLinks(c, unit));
  })
  .get("/requests/:id", async (c) => {
    const group = await accountRequest(c.var.db, c.var.customer.email, c.req.param("id"), new Date());
    if (!group) throw new Refusal("not_found", t(c.var.locale, "account.errors.requestNotFound"));
    return c.json({ ...group, units: await Promise.all(group.units.map((u) => withLinks(c, u))) });
  })
  .get("/units/:serial", async (c) => {
    const history = await unitHistory(c.var.db, c.var.customer.email, c.req.param("serial"), new Date(), c.var.locale);
    if (!history) throw new Refusal("not_found", t(c.var.locale, "account.errors.unitNotFound"));
    return c.json(history);
  })
  .get("/prefill", async (c) => {
    const values = await prefillFor(c.var.db, c.var.customer.email, { unit: c.req.query("unit") ?? null, now: new Date() });
    return c.json(values);
  });
