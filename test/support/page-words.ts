/**
 * The words a visitor reads on a page (and hears: its title, description, labels for assistive technology),
 * as Chromium shows them, for the language tests (`englishLeft`): the visible text, the title and the
 * description, `aria-label`s, and the request form's verdict templates its script uses.
 */
import type { Page } from "playwright-core";
import type { PageTarget } from "./pages.ts";

/** The pages of the shared table whose Italian/German words come from the server's refusal messages (helper 13a's work). */
export const REFUSAL_STATES = [
  "request form with errors (posted without JavaScript)",
  "status page with an error",
  "RMA page, link not valid",
];

/** The translated targets of the table (`it …`, `de …`), with their language. */
export function translatedTargets(targets: PageTarget[]): { target: PageTarget; locale: "it" | "de" }[] {
  return targets.flatMap((target) => {
    const m = /^(it|de) /.exec(target.name);
    return m ? [{ target, locale: m[1] as "it" | "de" }] : [];
  });
}

export const isRefusalState = (target: PageTarget) => REFUSAL_STATES.some((s) => target.name.endsWith(` ${s}`));

export function pageWords(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll("[aria-label]")].map((e) => e.getAttribute("aria-label") ?? "");
    const form = document.getElementById("rma-form");
    const templates = form ? Object.entries(form.dataset).flatMap(([k, v]) => (k.startsWith("verdict") ? [v ?? ""] : [])) : [];
    const description = document.querySelector('meta[name="description"]')?.getAttribute("content") ?? "";
    // The text as shown (innerText): hidden parts left out, and one line per block, so no two words run together.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a visitor reads
    const shown = document.body.innerText;
    return [document.title, description, shown, ...attributes, ...templates].join("\n");
  });
}
