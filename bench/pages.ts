/**
 * What a static page weighs: its HTML, the CSS it carries (inlined <style> or linked stylesheets) and
 * the JavaScript it loads (<script src> assets, module preloads and inline scripts).
 */
import { gzipSync } from "node:zlib";

export interface PageWeight {
  path: string;
  status: number;
  htmlBytes: number;
  htmlGzipBytes: number;
  cssBytes: number;
  /** JavaScript the browser downloads or runs: external scripts plus inline script text. */
  jsBytes: number;
  scripts: { src: string | null; bytes: number }[];
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*["']?([^"'\\s>]+)`, "i").exec(tag)?.[1] ?? null;

async function size(base: string, href: string): Promise<number> {
  const res = await fetch(new URL(href, base));
  return (await res.arrayBuffer()).byteLength;
}

export async function pageWeight(base: string, path: string): Promise<PageWeight> {
  const res = await fetch(new URL(path, base));
  const html = await res.text();
  const htmlBytes = Buffer.byteLength(html);
  const scripts: PageWeight["scripts"] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const tag = m[1] ?? "";
    const type = attr(tag, "type");
    // JSON and other data blocks are not executed.
    if (type && !/^(module|text\/javascript|application\/javascript)$/i.test(type)) continue;
    const src = attr(tag, "src");
    scripts.push({ src, bytes: src ? await size(base, src) : Buffer.byteLength(m[2] ?? "") });
  }
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    if (/\brel\s*=\s*["']?modulepreload/i.test(m[0])) {
      const href = attr(m[0], "href");
      if (href) scripts.push({ src: href, bytes: await size(base, href) });
    }
  }
  let cssBytes = 0;
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) cssBytes += Buffer.byteLength(m[1] ?? "");
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    if (/\brel\s*=\s*["']?stylesheet/i.test(m[0])) {
      const href = attr(m[0], "href");
      if (href) cssBytes += await size(base, href);
    }
  }
  return {
    path,
    status: res.status,
    htmlBytes,
    htmlGzipBytes: gzipSync(html).byteLength,
    cssBytes,
    jsBytes: scripts.reduce((n, s) => n + s.bytes, 0),
    scripts,
  };
}
