/** The role × permission matrix as the issue states it, and the password rules of the team desk. */
import { describe, expect, it } from "vitest";
import { parseStaffArgs } from "../../db/staff.ts";
import { COMMON_PASSWORDS, isCommonPassword } from "../../functions/auth/common-passwords.ts";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "../../functions/auth/password.ts";
import { allowedActions, can, PERMISSIONS, type Permission, ROLE_PERMISSIONS, ROLES } from "../../functions/domain/roles.ts";
import { STAFF_ACTIONS } from "../../functions/domain/staff-input.ts";
import { ApiError } from "../../functions/errors.ts";
import { assertCan } from "../../functions/http/staff-guard.ts";

const everything: Permission[] = [...PERMISSIONS, ...STAFF_ACTIONS.map((a) => `rma:${a}` as const)];

describe("the role matrix", () => {
  it("gives admin every permission and every RMA action", () => {
    for (const p of everything) expect(can("admin", p), p).toBe(true);
  });

  it("lets the desk authorise, reject, quote, cancel, ship, close and answer customers, and nothing of accounts, settings or imports", () => {
    for (const a of ["authorize", "authorize-all", "reject", "quote", "record-quote-answer", "cancel", "ship", "close"] as const)
      expect(can("desk", `rma:${a}`), a).toBe(true);
    for (const p of ["rma.message", "rma.note", "rma.assign", "outbox.read"] as const) expect(can("desk", p), p).toBe(true);
    for (const a of ["receive", "confirm-warranty", "refuse-warranty", "finish-repair"] as const)
      expect(can("desk", `rma:${a}`), a).toBe(false);
    for (const p of ["staff.manage", "settings.manage", "registry.import", "audit.read", "outbox.retry"] as const)
      expect(can("desk", p), p).toBe(false);
  });

  it("lets the technician receive, diagnose, record the repair, answer customers and write internal notes, and not authorise or ship", () => {
    for (const a of ["receive", "confirm-warranty", "refuse-warranty", "finish-repair"] as const)
      expect(can("technician", `rma:${a}`), a).toBe(true);
    for (const p of ["rma.message", "rma.note"] as const) expect(can("technician", p), p).toBe(true);
    for (const a of ["authorize", "reject", "quote", "ship", "close", "cancel"] as const)
      expect(can("technician", `rma:${a}`), a).toBe(false);
    for (const p of ["outbox.read", "staff.manage", "settings.manage", "registry.import", "audit.read"] as const)
      expect(can("technician", p), p).toBe(false);
  });

  it("lets a viewer read the desk and own account only", () => {
    expect([...ROLE_PERMISSIONS.viewer].sort()).toEqual(["account.own", "desk.read", "reports.read"]);
  });

  it("gives every role the desk and its own account, and every RMA action to some role besides admin", () => {
    for (const r of ROLES) {
      expect(can(r, "desk.read")).toBe(true);
      expect(can(r, "account.own")).toBe(true);
    }
    for (const a of STAFF_ACTIONS) expect(can("desk", `rma:${a}`) || can("technician", `rma:${a}`), a).toBe(true);
  });

  it("filters the gate's actions by role", () => {
    expect(allowedActions("technician", ["authorize", "receive", "reject"])).toEqual(["receive"]);
    expect(allowedActions("viewer", ["authorize", "receive"])).toEqual([]);
  });
});

describe("new passwords", () => {
  it(`refuse fewer than ${MIN_PASSWORD_LENGTH} characters, common ones (also with digits appended) and the email address`, () => {
    expect(passwordProblem("short-one")).toBe("tooShort");
    expect(passwordProblem("qwertyuiop123")).toBe("common");
    expect(passwordProblem("Password2024!")).toBe("common");
    expect(passwordProblem("Welcome-2026")).toBe("common");
    expect(passwordProblem("adminadminadmin")).toBe("common");
    expect(passwordProblem("maria.rossi2026", "maria.rossi@alkeria.com")).toBe("likeEmail");
    expect(passwordProblem("copper lantern orbit 7")).toBeNull();
  });

  it("ship a list of common passwords with the project", () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(200);
    expect(isCommonPassword("letmein")).toBe(true);
    expect(isCommonPassword("gravel-otter-plum")).toBe(false);
  });
});

describe("npm run staff:add arguments", () => {
  it("takes an email and an optional role (admin for a new account when omitted)", () => {
    expect(parseStaffArgs(["a@alkeria.example"])).toEqual({ email: "a@alkeria.example", role: undefined });
    expect(parseStaffArgs(["a@alkeria.example", "--role", "technician"])).toEqual({
      email: "a@alkeria.example",
      role: "technician",
    });
    expect(parseStaffArgs(["--role=viewer", "a@alkeria.example"])).toEqual({ email: "a@alkeria.example", role: "viewer" });
    expect(parseStaffArgs(["a@alkeria.example", "--role", "boss"])).toHaveProperty("error");
    expect(parseStaffArgs([])).toHaveProperty("error");
  });
});

describe("a refusal for want of a permission", () => {
  it("names the role in the reader's language, whoever's account it is", () => {
    const technician = { userId: "u1", email: "tech@alkeria.example", role: "technician" as const, locale: "it" as const };
    let refusal: unknown;
    try {
      assertCan(technician, "registry.import", "POST /api/admin/registry/import");
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    const e = refusal as ApiError;
    expect(e.status).toBe(403);
    expect(e.code).toBe("forbidden");
    expect(e.messageIn("it")).toBe(
      "Il tuo ruolo, Tecnico, non consente questa operazione: POST /api/admin/registry/import. Se ti serve, chiedi a un amministratore.",
    );
    expect(e.messageIn("en")).toBe(
      "Your role, Technician, may not do this: POST /api/admin/registry/import. Ask an admin if you need it.",
    );
    expect(() => assertCan({ ...technician, role: "admin" }, "registry.import")).not.toThrow();
  });
});
