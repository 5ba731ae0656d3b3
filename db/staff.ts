/**
 * Staff accounts from the command line: `npm run staff:add -- EMAIL [--role admin|desk|technician|viewer]`
 * (role `admin` when omitted; password from STAFF_PASSWORD or asked). Made for the first account and for
 * scripts; the desk's `/admin/staff` invites the others.
 */

import { createInterface } from "node:readline/promises";
import { type Client, createClient } from "@libsql/client";
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from "../functions/auth/password.ts";
import { isRole, ROLES, type Role } from "../functions/domain/roles.ts";
import { databaseUrlFromEnv } from "./migrate.ts";

export { MIN_PASSWORD_LENGTH };

/**
 * Creates the account, or resets its password (and sets the role when one is given, enabling it again)
 * unless `ifMissing`. Returns whether a row was written.
 */
export async function addStaffUser(
  client: Client,
  email: string,
  password: string,
  opts: { ifMissing?: boolean; role?: Role } = {},
) {
  const normalized = email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalized)) throw new Error(`"${email}" is not an email address.`);
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new Error(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  const hash = await hashPassword(password);
  const role = opts.role ?? "admin";
  const conflict = opts.ifMissing
    ? "DO NOTHING"
    : `DO UPDATE SET password_hash = excluded.password_hash${opts.role ? ", role = excluded.role, disabled_at = NULL" : ""}`;
  const rs = await client.execute({
    sql: `INSERT INTO staff_users (id, email, password_hash, role) VALUES (?, ?, ?, ?) ON CONFLICT(email) ${conflict}`,
    args: [crypto.randomUUID(), normalized, hash, role],
  });
  return rs.rowsAffected > 0;
}

const USAGE = `usage: npm run staff:add -- EMAIL [--role ${ROLES.join("|")}]   (password from STAFF_PASSWORD or asked; role admin when omitted)`;

/** `EMAIL [--role ROLE]` (also `--role=ROLE`), or the reason they cannot be used. */
export function parseStaffArgs(argv: string[]): { email: string; role: Role | undefined } | { error: string } {
  let email: string | undefined;
  let role: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--role") role = argv[++i];
    else if (arg.startsWith("--role=")) role = arg.slice("--role=".length);
    else if (arg.startsWith("--")) return { error: `unknown option ${arg}\n${USAGE}` };
    else if (email === undefined) email = arg;
    else return { error: `one email address at a time\n${USAGE}` };
  }
  if (!email) return { error: USAGE };
  if (role !== undefined && !isRole(role)) return { error: `"${role}" is not a role: use one of ${ROLES.join(", ")}.` };
  // Without --role a new account is an admin and an existing one keeps its role.
  return { email, role };
}

if (import.meta.main) {
  const args = parseStaffArgs(process.argv.slice(2));
  if ("error" in args) {
    console.error(args.error);
    process.exit(2);
  }
  let password = process.env["STAFF_PASSWORD"];
  if (!password) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    password = await rl.question(`Password for ${args.email} (at least ${MIN_PASSWORD_LENGTH} characters): `);
    rl.close();
  }
  const problem = passwordProblem(password, args.email);
  if (problem === "common") {
    console.error("This password is on the list of the most common passwords: choose another one.");
    process.exit(1);
  }
  const client = createClient({
    url: databaseUrlFromEnv(),
    ...(process.env["DATABASE_AUTH_TOKEN"] ? { authToken: process.env["DATABASE_AUTH_TOKEN"] } : {}),
  });
  try {
    await addStaffUser(client, args.email, password, args.role ? { role: args.role } : {});
    console.log(`staff account ${args.email.trim().toLowerCase()} ready${args.role ? ` (${args.role})` : ""}`);
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    process.exitCode = 1;
  } finally {
    client.close();
  }
}
