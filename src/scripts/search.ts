/**
 * The search page's one script: reads `?q=` and asks pagefind's index of the page's language (pagefind
 * picks it from `<html lang>`), then lists what it found, with links to the FAQ topics and policies.
 * The words come from the page (`data-*` on #search-results, from content/<locale>/ui.json).
 */
interface PagefindResult {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results?: { url: string; title: string; excerpt: string }[];
}
interface Pagefind {
  search(term: string): Promise<{ results: { data(): Promise<PagefindResult> }[] } | null>;
}

const box = document.getElementById("search-results");
const query = new URLSearchParams(location.search).get("q")?.trim() ?? "";
const input = document.getElementById("search-q");
if (input instanceof HTMLInputElement) input.value = query;

function say(text: string): HTMLElement {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
}

function fill(message: string, params: Record<string, string>): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

async function run(target: HTMLElement): Promise<void> {
  const lang = document.documentElement.lang;
  const plurals = JSON.parse(target.dataset["results"] ?? "{}") as Record<string, string>;
  let pagefind: Pagefind;
  try {
    const url = "/pagefind/pagefind.js";
    pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
  } catch {
    target.replaceChildren(say(target.dataset["unavailable"] ?? ""));
    return;
  }
  const search = await pagefind.search(query);
  const found = await Promise.all((search?.results ?? []).slice(0, 10).map((r) => r.data()));
  const count = found.length;
  if (count === 0) {
    target.replaceChildren(say(fill(target.dataset["none"] ?? "", { query })));
    return;
  }
  const form = new Intl.PluralRules(lang).select(count);
  const heading = say(fill(plurals[form] ?? plurals["other"] ?? "", { count: String(count), query }));
  const list = document.createElement("ul");
  list.className = "search-results";
  for (const result of found) {
    const subs = result.sub_results?.length ? result.sub_results.slice(0, 3) : [];
    const entries = subs.length ? subs : [{ url: result.url, title: result.meta.title ?? result.url, excerpt: result.excerpt }];
    for (const entry of entries) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entry.url;
      link.textContent = entry.title;
      const excerpt = document.createElement("p");
      // pagefind's excerpt is the indexed page's own text, escaped, with the words found in <mark>.
      excerpt.innerHTML = entry.excerpt;
      item.append(link, excerpt);
      list.append(item);
    }
  }
  target.replaceChildren(heading, list);
}

if (box && query) void run(box);
