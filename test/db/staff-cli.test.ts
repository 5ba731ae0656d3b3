/**
 * `npm run staff:add -- EMAIL [--role ROLE]` against a real sqld, run as the npm script runs it (Node on
 * db/staff.ts, the password from STAFF_PASSWORD): the first account is an admin, a role can be given,
 * an existing account keeps its role unless one is given, and bad input is refused with a message.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../db/sqld.ts";
import { startTestDatabase, type TestDatabase } from "../support/database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(() => db?.stop());

function staffAdd(args: string[], password = "cli test passphrase 9") {
  const run = spawnSync(process.execPath, [join(ROOT, "db", "staff.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, STAFF_PASSWORD: password },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

const roleOf = async (email: string) =>
  (await db.query<{ role: string }>("SELECT role FROM staff_users WHERE email = ?", [email]))[0]?.role;

describe("npm run staff:add", () => {
  it("makes an admin without --role, and the role given with --role", async () => {
    expect(staffAdd(["first@alkeria.example"])).toMatchObject({ status: 0 });
    expect(await roleOf("first@alkeria.example")).toBe("admin");
    const tech = staffAdd(["bench@alkeria.example", "--role", "technician"]);
    expect(tech.out).toContain("staff account bench@alkeria.example ready (technician)");
    expect(await roleOf("bench@alkeria.example")).toBe("technician");
  });

  it("keeps an existing account's role when only the password changes", async () => {
    expect(staffAdd(["bench@alkeria.example"], "another cli passphrase").status).toBe(0);
    expect(await roleOf("bench@alkeria.example")).toBe("technician");
    expect(staffAdd(["bench@alkeria.example", "--role=viewer"], "another cli passphrase").status).toBe(0);
    expect(await roleOf("bench@alkeria.example")).toBe("viewer");
  });

  it("refuses an unknown role, a common password and a short one, writing nothing", async () => {
    const role = staffAdd(["x@alkeria.example", "--role", "boss"]);
    expect(role.status).toBe(2);
    expect(role.out).toContain('"boss" is not a role: use one of admin, desk, technician, viewer.');
    const common = staffAdd(["x@alkeria.example"], "password1234");
    expect(common.status).toBe(1);
    expect(common.out).toContain("most common passwords");
    const short = staffAdd(["x@alkeria.example"], "short");
    expect(short.status).toBe(1);
    expect(short.out).toContain("at least 12 characters");
    expect(await roleOf("x@alkeria.example")).toBeUndefined();
  });
});
