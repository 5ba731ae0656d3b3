/**
 * What the team pages (`/admin/account`, `/admin/staff`) do first: open the page for its permission, make
 * the team services' context, run the posted form's intent, and read the confirmation to show. A refusal
 * comes back as the page's `Failure`, said in the staff member's desk language.
 */
import type { AstroGlobal } from "astro";
import type { Permission } from "@/functions/domain/roles.ts";
import { ApiError, asApiError } from "@/functions/errors.ts";
import type { Locale } from "@/functions/i18n/index.ts";
import { linkContext } from "@/functions/links.ts";
import type { TeamContext } from "@/functions/services/team/accounts.ts";
import { readPageForm } from "@/src/lib/page-form.ts";
import { flashMessage } from "./flash.ts";
import { type Failure, type FormValues, failureOf } from "./forms.ts";
import { type AdminPage, openAdminPage } from "./page.ts";

const UNREADABLE = { 400: "invalid_encoding", 413: "body_too_large", 415: "unsupported_media_type" } as const;

export interface TeamPage {
  page: AdminPage;
  ctx: TeamContext;
  /** The staff member's desk language. */
  L: Locale;
  failure: Failure | null;
  /** The confirmation of the last form sent (`?done=`), or null. */
  flash: string | null;
}

/** Each intent a page's forms post (`intent=…`): does it, and says where to go next (a 303 there). */
export type Intents = Record<string, (values: FormValues, team: { page: AdminPage; ctx: TeamContext }) => Promise<string>>;

export async function openTeamPage(
  Astro: AstroGlobal,
  permission: Permission,
  intents: Intents,
  opts: { path: string; form: (values: FormValues) => string },
): Promise<TeamPage | Response> {
  const page = await openAdminPage(Astro, permission);
  if (page instanceof Response) return page;
  const L = page.staff.locale;
  const ctx: TeamContext = {
    staff: page.staff,
    by: page.by,
    env: page.env,
    links: linkContext(page.env, Astro.request.url),
    now: page.now,
  };
  let failure: Failure | null = null;
  if (Astro.request.method === "POST") {
    let values: FormValues = {};
    try {
      const read = await readPageForm(Astro.request);
      // As forms.ts `readForm`, but keeping the refusal's `Text` (said below in the desk's language).
      if (!read.ok) throw new ApiError(read.status, UNREADABLE[read.status], read.text);
      values = read.fields;
      const run = intents[values["intent"] ?? ""];
      return Astro.redirect(run ? await run(values, { page, ctx }) : opts.path, 303);
    } catch (err) {
      const refusal = asApiError(err);
      const said = failureOf(refusal, opts.form(values), values);
      const form = said.form;
      // The refusal in the staff member's language (its fields scoped to the form, as failureOf does).
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(refusal.fieldsIn(L) ?? {})) fields[`${form}.${k}`] = v;
      failure = { ...said, message: refusal.messageIn(L), fields };
      Astro.response.status = failure.status;
    }
  }
  return { page, ctx, L, failure, flash: flashMessage(Astro.url.searchParams, L) };
}
