/** Checks the built static output (dist/client) that `npm run build` produced. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../db/sqld.ts";

const client = join(ROOT, "dist", "client");
const html = (page: string) => readFileSync(join(client, page), "utf8");
const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith(".html") ? [join(dir, e.name)] : [],
  );
}

function faqQuestions(): string[] {
  const dir = join(ROOT, "content", "en", "faq");
  return readdirSync(dir).map((f) => {
    const m = /^question:\s*"(.*)"\s*$/m.exec(readFileSync(join(dir, f), "utf8"));
    if (!m?.[1]) throw new Error(`${f} has no question`);
    return m[1].replace(/\\"/g, '"');
  });
}

describe("the static site in dist/client", () => {
  it("was built", () => {
    expect(existsSync(join(client, "faq.html")), "run `npm run build` first").toBe(true);
  });

  it("shows every FAQ question on /faq, each with an anchor", () => {
    const page = html("faq.html");
    const text = decode(page);
    const questions = faqQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(15);
    for (const q of questions) expect(text).toContain(q);
    const anchors = [...page.matchAll(/<article[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    expect(anchors.length).toBe(questions.length);
  });

  it("keeps the seed's facts exact on /faq", () => {
    const text = decode(html("faq.html"));
    for (const fact of [
      "Via Giuntini, 25 int. 36 - I-56021 Navacchio (PI) - ITALY",
      "FCA (Incoterms 2020)",
      "24 months",
      "30 days",
      "CPT",
      "beside the I/O connector",
      "handling fee",
    ]) {
      expect(text).toContain(fact);
    }
  });

  it("has a page for each policy", () => {
    for (const slug of ["warranty", "costs-and-shipping", "how-to-return", "cancellation", "serial-number"]) {
      expect(existsSync(join(client, "policies", `${slug}.html`)), slug).toBe(true);
    }
    const steps = html("policies/how-to-return.html").match(/<ol>[\s\S]*?<\/ol>/)?.[0] ?? "";
    expect(steps.match(/<li>/g)?.length).toBe(6);
  });

  it("ships no JavaScript on any static page", () => {
    const pages = htmlFiles(client);
    expect(pages.length).toBeGreaterThanOrEqual(8);
    for (const file of pages) {
      expect(html(relative(client, file)), relative(client, file)).not.toMatch(/<script/i);
    }
  });
});
