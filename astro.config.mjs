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
  security: { checkOrigin: true },
});
