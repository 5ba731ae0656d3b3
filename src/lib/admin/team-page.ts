/**
 * What the team pages (`/admin/account`, `/admin/staff`) do first: open the page for its permission, make
 * the team services' context, run the posted form's intent, and read the confirmation to show. A refusal
 * comes back as the page's `Failure`, said in the staff member's desk language.
 */
import type { AstroGlobal } from "astro";
import type { Permission } from "@/functions/domain/roles.ts";
import type { Locale } from "@/functions/i18n/index.ts";
import { linkContext } from "@/functions/links.ts";
import type { TeamContext } from "@/functions/services/team/accounts.ts";
import { flashMessage } from "./flash.ts";
import { type Failure, type FormValues, onPost } from "./forms.ts";
import { type AdminPage, openAdminPage } from "./page.ts";

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
  const failure = await onPost(
    Astro,
    async ({ values }) => {
      const run = intents[values["intent"] ?? ""];
      return run ? await run(values, { page, ctx }) : opts.path;
    },
    { form: opts.form },
  );
  if (failure instanceof Response) return failure;
  return { page, ctx, L, failure, flash: flashMessage(Astro.url.searchParams, L) };
}
