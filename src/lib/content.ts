/** Reading the FAQ and policy collections for one locale. */
import { getCollection } from "astro:content";
import { DEFAULT_LOCALE, LOCALES, type Locale } from "@/src/i18n/index.ts";

/** `en/faq/03-one-rma-per-serial` → `one-rma-per-serial`: the FAQ anchor. */
export function entrySlug(id: string): string {
  return (id.split("/").pop() ?? id).replace(/^\d+-/, "");
}

export async function faqEntries(locale: Locale = DEFAULT_LOCALE) {
  const all = await getCollection("faq", (e) => e.id.startsWith(`${locale}/`));
  return all.sort((a, b) => a.data.order - b.data.order);
}

export async function policyEntries(locale: Locale = DEFAULT_LOCALE) {
  const all = await getCollection("policies", (e) => e.id.startsWith(`${locale}/`));
  return all.sort((a, b) => a.data.order - b.data.order);
}

/** `getStaticPaths` of a policy page in one locale: one page per policy, its slug from the file name. */
export async function policyPaths(locale: Locale) {
  const policies = await policyEntries(locale);
  return policies.map((entry) => ({ params: { slug: entrySlug(entry.id) }, props: { entry } }));
}

/** `getStaticPaths` of the pages under src/pages/[locale]/: every locale but the default one (English has no prefix). */
export function translatedLocalePaths() {
  return LOCALES.filter((l) => l !== DEFAULT_LOCALE).map((locale) => ({ params: { locale } }));
}
