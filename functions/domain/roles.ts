/**
 * Who may do what on the staff desk: the role × permission matrix as data. Every admin page and every
 * `/api/admin` route names the permission it needs (`requirePermission`, `openAdminPage(Astro, perm)`);
 * pages offer only what `can(role, …)` allows, and the server refuses the rest with 403 `forbidden`.
 */
import type { StaffAction } from "./staff-input.ts";

export const ROLES = ["admin", "desk", "technician", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** What a page or a route needs, besides the RMA actions (`rma:<action>`). */
export const PERMISSIONS = [
  /** The queue, RMA pages, the parcel lookup, the registry search: everyone on the desk. */
  "desk.read",
  /** Own account: change own password, see and end own sessions, the desk's language. */
  "account.own",
  /** Internal notes on an RMA. */
  "rma.note",
  /** Assign an RMA to a staff member (or take it). */
  "rma.assign",
  /** Answer customers (messages on an RMA). */
  "rma.message",
  /** Read the outbox (customers' emails). */
  "outbox.read",
  /** Retry emails of the outbox. */
  "outbox.retry",
  /** Import the registry (CSV). */
  "registry.import",
  /** Read and change the portal's settings. */
  "settings.manage",
  /** Accounts: invite, change roles, disable, reset passwords. */
  "staff.manage",
  /** The audit log. */
  "audit.read",
  /** The dashboard and the CSV export of RMAs. */
  "reports.read",
  /** The failure codes' list. */
  "failure-codes.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number] | `rma:${StaffAction}`;

const DESK_ACTIONS: readonly StaffAction[] = [
  "authorize",
  "authorize-all",
  "reject",
  "quote",
  "record-quote-answer",
  "cancel",
  "ship",
  "close",
  "grant-cancellation",
  "refuse-cancellation",
];
const TECHNICIAN_ACTIONS: readonly StaffAction[] = ["receive", "confirm-warranty", "refuse-warranty", "finish-repair"];

const rmaActions = (actions: readonly StaffAction[]) => actions.map((a) => `rma:${a}` as const);

/** The matrix: each role's permissions. `admin` has every one. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([...PERMISSIONS, ...rmaActions([...DESK_ACTIONS, ...TECHNICIAN_ACTIONS])]),
  desk: new Set<Permission>([
    "desk.read",
    "account.own",
    "rma.note",
    "rma.assign",
    "rma.message",
    "outbox.read",
    "reports.read",
    ...rmaActions(DESK_ACTIONS),
  ]),
  technician: new Set<Permission>([
    "desk.read",
    "account.own",
    "rma.note",
    "rma.assign",
    "rma.message",
    "reports.read",
    ...rmaActions(TECHNICIAN_ACTIONS),
  ]),
  viewer: new Set<Permission>(["desk.read", "account.own", "reports.read"]),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** The RMA actions a role may take, out of those the gate allows now. */
export function allowedActions<A extends StaffAction>(role: Role, actions: readonly A[]): A[] {
  return actions.filter((a) => can(role, `rma:${a}`));
}
