/** Escaping for HTML built by hand (emails); Astro pages escape by themselves. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Tagged template: every interpolated value is escaped unless wrapped in `raw()`. */
export class RawHtml {
  constructor(readonly html: string) {}
}
export const raw = (html: string) => new RawHtml(html);

export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    const part = Array.isArray(v)
      ? v.map((x) => (x instanceof RawHtml ? x.html : escapeHtml(String(x)))).join("")
      : v instanceof RawHtml
        ? v.html
        : escapeHtml(String(v ?? ""));
    out += part + (strings[i + 1] ?? "");
  });
  return new RawHtml(out);
}
