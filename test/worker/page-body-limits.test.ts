/**
 * Page forms are bounded like API bodies, against the built Worker: a 5 MB chunked POST (no
 * Content-Length) to each page form is refused with 413 while it is read, and the Worker's memory does
 * not grow with it (workerd's peak resident memory, VmHWM, read from /proc before and after).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { signToken } from "../../functions/auth/tokens.ts";
import { report } from "../support/figures.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const stack = useStack();
const MB = 1024 * 1024;

/** POSTs `size` bytes of a form body in 64 KB chunks with Transfer-Encoding: chunked; the answer's status. */
function chunkedPost(path: string, size: number): Promise<number> {
  const url = new URL(path, stack.worker.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: stack.worker.url,
          "transfer-encoding": "chunked",
        },
      },
      (res) => {
        answered = res.statusCode ?? 0;
        res.resume();
        res.on("end", () => resolve(answered));
      },
    );
    let answered = 0;
    // The Worker answers before the body ends and stops reading: the rest of the upload may be cut (EPIPE).
    req.on("error", (err) => (answered ? resolve(answered) : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const write = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

/** workerd's process: the runner's descendant of that name. */
function workerdPid(): number {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid=,comm="], { encoding: "utf8" });
  const rows = out
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .map(([pid, ppid, comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm: comm ?? "" }));
  const mine = new Set([stack.worker.process.pid ?? -1]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (mine.has(r.ppid) && !mine.has(r.pid)) {
        mine.add(r.pid);
        grew = true;
      }
    }
  }
  const workerd = rows.find((r) => mine.has(r.pid) && r.comm.startsWith("workerd"));
  if (!workerd) throw new Error("workerd not found among the runner's processes");
  return workerd.pid;
}

const peakKb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

describe("page forms bounded while reading", () => {
  it("refuses a 5 MB chunked POST to every page form with 413, its memory not growing with the bodies", async () => {
    const pid = workerdPid();
    const [rmaNumber = ""] = (await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)))).rmaNumbers;
    const rmaPage = `/rma/${rmaNumber}?t=${await signToken(TEST_LINK_SECRET, "rma", rmaNumber)}`;
    // Warm up every page once (their code loaded), so the peak afterwards is the bodies' only.
    for (const path of ["/status", "/rma/new", "/admin/login", rmaPage]) {
      expect(await chunkedPost(path, 128 * 1024)).toBe(413);
    }
    const before = peakKb(pid);
    const pages = ["/status", "/rma/new", "/admin/login", rmaPage, "/status", "/rma/new", "/admin/login", "/status"];
    const statuses = await Promise.all(pages.map((p) => chunkedPost(p, 5 * MB)));
    const after = peakKb(pid);
    report("8 chunked 5 MB page POSTs at once", {
      statuses: statuses.join(" "),
      "workerd peak memory before": `${Math.round(before / 1024)} MB`,
      "workerd peak memory after": `${Math.round(after / 1024)} MB`,
    });
    expect(statuses).toEqual(pages.map(() => 413));
    // 40 MB was sent; held whole it would raise the peak by at least that much.
    expect(after - before).toBeLessThan(20 * 1024);
  }, 60_000);
});
