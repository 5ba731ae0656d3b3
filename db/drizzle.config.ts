import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "turso",
  // Tables of later features live in files of their own under db/schema/ (one per feature).
  schema: ["./db/schema.ts", "./db/schema/*.ts"],
  out: "./db/migrations",
  strict: true,
  verbose: true,
  dbCredentials: {
    url: process.env["DATABASE_URL"] ?? `http://127.0.0.1:${process.env["SQLD_PORT"] ?? 8880}`,
    ...(process.env["DATABASE_AUTH_TOKEN"] ? { authToken: process.env["DATABASE_AUTH_TOKEN"] } : {}),
  },
});
