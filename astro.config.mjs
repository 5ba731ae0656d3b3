// @ts-check
import cloudflare from "@astrojs/cloudflare";
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "static",
  adapter: cloudflare({ imageService: "passthrough" }),
  site: "https://rma.alkeria.example",
  publicDir: "./src/public",
  trailingSlash: "ignore",
  build: { inlineStylesheets: "always", format: "file" },
  // English at /, Italian under /it/, German under /de/ (the locales of functions/i18n/index.ts).
  // No fallback: a page not translated yet has no /it/ or /de/ address (links keep its English path).
  i18n: { locales: ["en", "it", "de"], defaultLocale: "en", routing: { prefixDefaultLocale: false } },
  // Cross-site form posts are refused by src/middleware.ts, in the one error shape under /api.
  security: { checkOrigin: false },
  // Astro sessions are not used (staff sessions live in the database): no KV namespace to provision.
  session: false,
  // Scripts go to /_astro/*.js files, never inline: the Content-Security-Policy allows only the site's own files.
  vite: { build: { assetsInlineLimit: 0 } },
});
