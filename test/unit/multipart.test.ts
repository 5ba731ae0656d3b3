/**
 * The streaming multipart reader (functions/http/multipart.ts) against bodies encoded by the platform's
 * own FormData (undici), cut into chunks anywhere (a boundary split across chunks must still be found).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../functions/errors.ts";
import { multipartBoundary, readMultipart } from "../../functions/http/multipart.ts";

async function encode(form: FormData): Promise<{ bytes: Uint8Array; boundary: string }> {
  const req = new Request("http://x/", { method: "POST", body: form });
  const boundary = multipartBoundary(req.headers.get("content-type"));
  if (!boundary) throw new Error("no boundary");
  return { bytes: new Uint8Array(await req.arrayBuffer()), boundary };
}

function streamOf(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    if (p > at) chunks.push(bytes.slice(at, p));
    at = Math.max(at, p);
  }
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function parts(stream: ReadableStream<Uint8Array>, boundary: string) {
  const out: { name: string; filename: string | null; data: Uint8Array }[] = [];
  let current: { name: string; filename: string | null; chunks: Uint8Array[] } | null = null;
  for await (const e of readMultipart(stream, boundary)) {
    if (e.type === "part") current = { name: e.part.name, filename: e.part.filename, chunks: [] };
    else if (e.type === "data") current?.chunks.push(e.bytes.slice());
    else if (current) {
      const size = current.chunks.reduce((n, c) => n + c.length, 0);
      const data = new Uint8Array(size);
      let at = 0;
      for (const c of current.chunks) {
        data.set(c, at);
        at += c.length;
      }
      out.push({ name: current.name, filename: current.filename, data });
      current = null;
    }
  }
  return out;
}

describe("multipartBoundary", () => {
  it("reads the boundary of multipart/form-data only", () => {
    expect(multipartBoundary("multipart/form-data; boundary=abc123")).toBe("abc123");
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b"')).toBe("a b");
    expect(multipartBoundary("application/json")).toBeNull();
    expect(multipartBoundary("multipart/form-data")).toBeNull();
  });
});

describe("readMultipart", () => {
  it("gives every field and file back byte for byte, however the body is cut into chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.string({ maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        async (file, text, cuts) => {
          const form = new FormData();
          form.append("body", text);
          form.append("files", new Blob([file as Uint8Array<ArrayBuffer>]), 'ré"sumé\n.bin');
          form.append("t", "token");
          const { bytes, boundary } = await encode(form);
          const got = await parts(streamOf(bytes, cuts), boundary);
          expect(got.map((p) => [p.name, p.filename])).toEqual([
            ["body", null],
            ["files", 'ré"sumé\n.bin'],
            ["t", null],
          ]);
          expect(new TextDecoder().decode(got[0]?.data)).toBe(text.replace(/\r?\n|\r/g, "\r\n"));
          expect(got[1]?.data).toEqual(file);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("data that looks like the boundary without being it stays data", async () => {
    const form = new FormData();
    form.append("files", new Blob(["--\r\n--not-the-boundary\r\n\r\n"]), "a.txt");
    const { bytes, boundary } = await encode(form);
    const [part] = await parts(streamOf(bytes, [5, 17, 60]), boundary);
    expect(new TextDecoder().decode(part?.data)).toBe("--\r\n--not-the-boundary\r\n\r\n");
  });

  it("refuses a body cut before its closing boundary, and a part without a name", async () => {
    const form = new FormData();
    form.append("files", new Blob(["hello"]), "a.txt");
    const { bytes, boundary } = await encode(form);
    const cut = bytes.slice(0, bytes.length - 10);
    await expect(parts(streamOf(cut, []), boundary)).rejects.toMatchObject({ code: "invalid_multipart", status: 400 });
    const noName = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${boundary}--\r\n`);
    await expect(parts(streamOf(noName, []), boundary)).rejects.toBeInstanceOf(ApiError);
    // Said in the reader's language, the reason included.
    const refused = (await parts(streamOf(cut, []), boundary).catch((e: unknown) => e)) as ApiError;
    expect(refused.message).toBe("The multipart/form-data body could not be read: the body ended before its closing boundary.");
    expect(refused.messageIn("it")).toBe(
      "Non è stato possibile leggere il contenuto multipart/form-data: il contenuto finisce prima del delimitatore di chiusura.",
    );
  });

  it("stops reading when the caller stops: the rest of the body is drained, not kept", async () => {
    const form = new FormData();
    form.append("files", new Blob([new Uint8Array(200_000)]), "a.bin");
    const { bytes, boundary } = await encode(form);
    let pulled = 0;
    const chunks = Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, i) => bytes.slice(i * 1000, (i + 1) * 1000));
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = chunks.shift();
        if (next) {
          pulled++;
          c.enqueue(next);
        } else c.close();
      },
    });
    for await (const e of readMultipart(stream, boundary)) if (e.type === "data") break;
    expect(pulled).toBe(Math.ceil(bytes.length / 1000));
  });
});
