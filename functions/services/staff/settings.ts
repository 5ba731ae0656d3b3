/**
 * Settings staff can change, in the `settings` table. For now one: authorise automatically the units
 * whose serial is in the registry and under warranty (off unless staff turn it on).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { settings } from "../../../db/schema.ts";

export const AUTO_AUTHORIZE_KEY = "auto_authorize";

export interface PortalSettings {
  /** Authorise automatically the units whose serial is in the registry and under warranty. */
  autoAuthorize: boolean;
}

/** The statement that reads the setting, to put in a batch; `isOn` reads its result. */
export function autoAuthorizeStatement(db: Db) {
  return db.select({ value: settings.value }).from(settings).where(eq(settings.key, AUTO_AUTHORIZE_KEY)).limit(1);
}

export const isOn = (rows: { value: string }[]) => rows[0]?.value === "on";

/**
 * A setting's value as last read, kept to predict it without reading: only a hint, for a write that
 * verifies it inside its own batch (the one-round-trip issuing path), so a stale value costs a retry,
 * never a wrong answer.
 */
export interface SettingHint {
  value: boolean;
}

/** The auto-authorise setting as this isolate last read it (one per Worker isolate, shared by its requests). */
export const autoAuthorizeHint: SettingHint = { value: false };

/** Off by default: only the stored value "on" turns it on. */
export async function isAutoAuthorizeOn(db: Db): Promise<boolean> {
  return isOn(await autoAuthorizeStatement(db));
}

export async function readSettings(db: Db): Promise<PortalSettings> {
  return { autoAuthorize: await isAutoAuthorizeOn(db) };
}

export async function writeSettings(db: Db, next: PortalSettings): Promise<PortalSettings> {
  const value = next.autoAuthorize ? "on" : "off";
  await db
    .insert(settings)
    .values({ key: AUTO_AUTHORIZE_KEY, value })
    .onConflictDoUpdate({ target: settings.key, set: { value } });
  return next;
}
