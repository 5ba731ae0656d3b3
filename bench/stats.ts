/**
 * Latency statistics shared by every path of the benchmark (autocannon against the Worker, the
 * Node loop straight to sqld), so a p99 here means the same thing as a p99 there.
 */

/** Nearest-rank percentile (p in 0..100) of values sorted ascending; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** What one measurement cell reports. Latencies in milliseconds. */
export interface CellResult {
  /** Successful (2xx, or a batch that did not throw) per second over the measured window. */
  rps: number;
  /** Every completed request, successful or not. */
  requests: number;
  ok: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Failures by HTTP status (or by error name for the Node loop, `timeout`, `connection`). */
  errors: Record<string, number>;
  /** Bytes read per second (HTTP cells only). */
  bytesPerSecond?: number;
}

/** Collects one cell's samples; latencies of failed requests are kept apart from the successful ones. */
export class Recorder {
  readonly latencies: number[] = [];
  readonly errors: Record<string, number> = {};
  requests = 0;
  ok = 0;
  bytes = 0;

  success(ms: number, bytes = 0): void {
    this.requests++;
    this.ok++;
    this.bytes += bytes;
    this.latencies.push(ms);
  }

  failure(kind: string, bytes = 0): void {
    this.requests++;
    this.bytes += bytes;
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
  }

  result(seconds: number, withBytes = false): CellResult {
    const sorted = Float64Array.from(this.latencies).sort();
    const values = Array.from(sorted);
    return {
      rps: this.ok / seconds,
      requests: this.requests,
      ok: this.ok,
      seconds,
      p50: percentile(values, 50),
      p95: percentile(values, 95),
      p99: percentile(values, 99),
      max: values.length ? (values[values.length - 1] as number) : Number.NaN,
      errors: { ...this.errors },
      ...(withBytes ? { bytesPerSecond: this.bytes / seconds } : {}),
    };
  }
}

/** `12 × 422, 3 × timeout`, or an empty string. */
export function formatErrors(errors: Record<string, number>): string {
  return Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} × ${k}`)
    .join(", ");
}
