/**
 * The figures a suite prints so its result can be read, not only its pass or fail: requests sent,
 * answers by status code and by error code, and whatever the suite counts afterwards.
 */
export class Tally {
  readonly byStatus = new Map<string, number>();
  readonly byCode = new Map<string, number>();
  sent = 0;

  /** Counts one answer: its status, and its error code when the body is the one error shape. */
  record(status: number | "network", body?: unknown): void {
    this.sent++;
    const key = String(status);
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    const code = errorCode(body);
    if (code) this.byCode.set(`${status} ${code}`, (this.byCode.get(`${status} ${code}`) ?? 0) + 1);
  }

  count(status: number): number {
    return this.byStatus.get(String(status)) ?? 0;
  }

  /** `1000 sent: 201 × 998, 503 × 2 (unavailable × 2)` */
  summary(): string {
    const sorted = (m: Map<string, number>) =>
      [...m.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, n]) => `${k} × ${n}`)
        .join(", ");
    const codes = this.byCode.size > 0 ? `; error codes: ${sorted(this.byCode)}` : "";
    return `${this.sent} sent: ${sorted(this.byStatus)}${codes}`;
  }
}

export function errorCode(body: unknown): string | undefined {
  if (body && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  }
  return undefined;
}

/** True when `body` is exactly the one error shape `{ error: { code, message, fields? } }`. */
export function isErrorShape(body: unknown): boolean {
  if (!body || typeof body !== "object" || Object.keys(body).join() !== "error") return false;
  const error = (body as { error: unknown }).error;
  if (!error || typeof error !== "object") return false;
  const keys = Object.keys(error);
  const e = error as Record<string, unknown>;
  if (typeof e["code"] !== "string" || typeof e["message"] !== "string" || e["message"] === "") return false;
  if (keys.some((k) => !["code", "message", "fields"].includes(k))) return false;
  if ("fields" in e) {
    const f = e["fields"];
    if (!f || typeof f !== "object" || Object.values(f).some((v) => typeof v !== "string")) return false;
  }
  return true;
}

/** Prints a suite's figures under a heading, one line each. */
export function report(title: string, lines: Record<string, string | number>): void {
  const width = Math.max(...Object.keys(lines).map((k) => k.length));
  console.log([`── ${title}`, ...Object.entries(lines).map(([k, v]) => `   ${k.padEnd(width)}  ${v}`)].join("\n"));
}

/** Runs `work` for each item with at most `clients` in flight at once: the load of that many concurrent clients. */
export async function withClients<T, R>(items: T[], clients: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(clients, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T, i);
      }
    }),
  );
  return results;
}
