/** Staff accounts from the command line: `npm run staff:add -- EMAIL` (password asked, or STAFF_PASSWORD). */

import { createInterface } from "node:readline/promises";
import { type Client, createClient } from "@libsql/client";
import { hashPassword } from "../functions/auth/password.ts";
import { databaseUrlFromEnv } from "./migrate.ts";

export const MIN_PASSWORD_LENGTH = 12;

/** Creates the account, or resets its password unless `ifMissing`. Returns whether a row was written. */
export async function addStaffUser(client: Client, email: string, password: string, opts: { ifMissing?: boolean } = {}) {
  const normalized = email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalized)) throw new Error(`"${email}" is not an email address.`);
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new Error(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  const hash = await hashPassword(password);
  const conflict = opts.ifMissing ? "DO NOTHING" : "DO UPDATE SET password_hash = excluded.password_hash";
  const rs = await client.execute({
    sql: `INSERT INTO staff_users (id, email, password_hash) VALUES (?, ?, ?) ON CONFLICT(email) ${conflict}`,
    args: [crypto.randomUUID(), normalized, hash],
  });
  return rs.rowsAffected > 0;
}

if (import.meta.main) {
  const email = process.argv[2];
  if (!email) {
    console.error("usage: npm run staff:add -- EMAIL   (password from STAFF_PASSWORD or asked)");
    process.exit(2);
  }
  let password = process.env["STAFF_PASSWORD"];
  if (!password) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    password = await rl.question(`Password for ${email} (at least ${MIN_PASSWORD_LENGTH} characters): `);
    rl.close();
  }
  const client = createClient({
    url: databaseUrlFromEnv(),
    ...(process.env["DATABASE_AUTH_TOKEN"] ? { authToken: process.env["DATABASE_AUTH_TOKEN"] } : {}),
  });
  try {
    await addStaffUser(client, email, password);
    console.log(`staff account ${email.trim().toLowerCase()} ready`);
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    process.exitCode = 1;
  } finally {
    client.close();
  }
}
