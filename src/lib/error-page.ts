/**
 * The small HTML page the middleware answers with when no page can be rendered (a cross-site form
 * post, the database unreachable): plain, accessible, no script, and in the same words as the API.
 */
import { escapeHtml } from "@/functions/email/html.ts";
import { translator } from "@/src/i18n/index.ts";

export function errorPage(status: number, title: string, message: string, headers: Record<string, string> = {}): Response {
  const { t } = translator("en");
  // `</body>` starts its line: the whitespace before it stays in the body, and an indent there would
  // leave a line of spaces in the document as a browser holds it.
  const html = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)} · ${escapeHtml(t("site.name"))}</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <style>body{font-family:system-ui,sans-serif;line-height:1.55;color:#1b1f24;margin:0}main{max-width:40rem;margin:3rem auto;padding:0 1rem}a{color:#0b4f8a}</style>
  </head>
  <body>
    <main>
      <h1>${escapeHtml(title)}</h1>
      <p>${escapeHtml(message)}</p>
      <p><a href="/">${escapeHtml(t("nav.home"))}</a> · <a href="/status">${escapeHtml(t("nav.status"))}</a> · <a href="/faq">${escapeHtml(t("nav.faq"))}</a></p>
    </main>
</body>
</html>
`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } });
}
