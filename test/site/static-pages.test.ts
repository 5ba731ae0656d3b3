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
    // The search pages (/search, /it/search, /de/search) run pagefind: their script is their point, and
    // they are the only static pages allowed one (pagefind's own files under /pagefind are not pages).
    const search = new Set(["search.html", "it/search.html", "de/search.html"]);
    const pages = htmlFiles(client).filter((f) => !relative(client, f).startsWith("pagefind/"));
    expect(pages.length).toBeGreaterThanOrEqual(8);
    for (const file of pages) {
      const name = relative(client, file);
      if (search.has(name)) expect(html(name), name).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
      else expect(html(name), name).not.toMatch(/<script/i);
    }
  });
});

describe("the static pages in every language", () => {
  const LANGS = [
    { locale: "en", prefix: "", faqDir: "en" },
    { locale: "it", prefix: "it/", faqDir: "it" },
    { locale: "de", prefix: "de/", faqDir: "de" },
  ] as const;
  const file = (prefix: string, page: string) =>
    page === "index" ? (prefix ? `${prefix.slice(0, -1)}.html` : "index.html") : `${prefix}${page}.html`;
  const pages = ["index", "faq", "policies", "policies/warranty", "policies/how-to-return"];

  it("has home, FAQ and every policy in Italian and German, each with <html lang> and no <script>", () => {
    for (const { locale, prefix } of LANGS)
      for (const page of pages) {
        const body = html(file(prefix, page));
        expect(body, `${locale} ${page}`).toContain(`<html lang="${locale}"`);
        expect(body, `${locale} ${page}`).not.toMatch(/<script/i);
      }
  });

  it("links each page to itself in every language (hreflang alternates with x-default, and the switcher)", () => {
    for (const { locale, prefix } of LANGS) {
      const body = html(file(prefix, "policies/warranty"));
      for (const [lang, href] of [
        ["en", "https://rma.alkeria.example/policies/warranty"],
        ["it", "https://rma.alkeria.example/it/policies/warranty"],
        ["de", "https://rma.alkeria.example/de/policies/warranty"],
        ["x-default", "https://rma.alkeria.example/policies/warranty"],
      ])
        expect(body, `${locale} ${lang}`).toContain(`<link rel="alternate" hreflang="${lang}" href="${href}">`);
      expect(body).toMatch(/<a href="\/it\/policies\/warranty" hreflang="it" lang="it"[^>]*>Italiano<\/a>/);
      expect(body).toMatch(/<a href="\/de\/policies\/warranty" hreflang="de" lang="de"[^>]*>Deutsch<\/a>/);
      expect(body).toMatch(/<a href="\/policies\/warranty" hreflang="en" lang="en"[^>]*>English<\/a>/);
    }
    expect(html("it.html")).toContain('<a href="/it" hreflang="it" lang="it" aria-current="true">Italiano</a>');
  });

  it("shows every translated FAQ question, with the English anchors", () => {
    for (const { prefix, faqDir } of LANGS.slice(1)) {
      const page = html(`${prefix}faq.html`);
      const dir = join(ROOT, "content", faqDir, "faq");
      for (const f of readdirSync(dir)) {
        const q = /^question:\s*"(.*)"\s*$/m.exec(readFileSync(join(dir, f), "utf8"))?.[1]?.replace(/\\"/g, '"') ?? "";
        expect(decode(page), f).toContain(q);
        expect(page, f).toContain(`id="${f.replace(/\.md$/, "").replace(/^\d+-/, "")}"`);
      }
    }
  });

  it("points links in translated Markdown at the pages of their language, the request form included", () => {
    // The main content only: the header's language switcher links the English page on purpose.
    const main = (page: string) => /<main[\s\S]*<\/main>/.exec(html(page))?.[0] ?? "";
    const de = main("de/faq.html");
    expect(de).toContain('href="/de/policies/how-to-return"');
    expect(de).toContain('href="/de/faq#locate-serial-number"');
    expect(de).toContain('href="/de/rma/new"');
    expect(de).not.toMatch(/href="\/(faq|policies|rma|status)[#/"?]/);
    expect(main("it/policies/how-to-return.html")).not.toMatch(/href="\/(faq|policies)[#/"]/);
  });
});
