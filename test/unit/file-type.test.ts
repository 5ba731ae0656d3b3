/** Types by content (functions/domain/file-type.ts): names and declared types never count. */
import { describe, expect, it } from "vitest";
import { cleanFileName, FILE_LIMITS, sniffFileType } from "../../functions/domain/file-type.ts";

const enc = new TextEncoder();
const bytes = (...b: number[]) => Uint8Array.from(b);

describe("sniffFileType", () => {
  it.each([
    ["JPEG", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), "jpeg", "image/jpeg", true],
    ["PNG", bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), "png", "image/png", true],
    ["WebP", enc.encode("RIFF\x10\x00\x00\x00WEBPVP8 "), "webp", "image/webp", true],
    ["PDF", enc.encode("%PDF-1.7\n%âãÏÓ"), "pdf", "application/pdf", false],
    ["ZIP", bytes(0x50, 0x4b, 0x03, 0x04, 20, 0), "zip", "application/zip", false],
    ["an empty ZIP", bytes(0x50, 0x4b, 0x05, 0x06, 0, 0), "zip", "application/zip", false],
    ["a log", enc.encode("2026-11-30 10:00:01 INFO started\r\n\tcontinued\n"), "text", "text/plain; charset=utf-8", false],
    ["CSV with UTF-8", enc.encode("serial;Größe;città\nC1920-1;1;Pisa\n"), "text", "text/plain; charset=utf-8", false],
    ["JSON", enc.encode('{"gain": 2, "exposure": 1000}'), "text", "text/plain; charset=utf-8", false],
    [
      "a camera XML configuration",
      enc.encode('<?xml version="1.0"?>\n<camera><gain>2</gain></camera>'),
      "text",
      "text/plain; charset=utf-8",
      false,
    ],
  ])("%s is accepted", (_what, head, kind, mime, inline) => {
    expect(sniffFileType(head)).toEqual({ ok: true, kind, mime, inline });
  });

  it.each([
    ["a Windows program", bytes(0x4d, 0x5a, 0x90, 0), "executable"],
    ["an ELF program", bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1), "executable"],
    ["a Mach-O program", bytes(0xcf, 0xfa, 0xed, 0xfe, 7, 0), "executable"],
    ["a shell script", enc.encode("#!/bin/sh\nrm -rf /\n"), "executable"],
    ["an HTML page", enc.encode("<!DOCTYPE html><html><body>x</body></html>"), "markup"],
    ["HTML without a doctype, after a BOM and blanks", enc.encode("\uFEFF  \n<html><script>alert(1)</script>"), "markup"],
    ["an SVG", enc.encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "markup"],
    ["an SVG behind an XML declaration and a comment", enc.encode('<?xml version="1.0"?>\n<!-- x -->\n<svg/>'), "markup"],
    ["a script tag alone", enc.encode("<script>alert(1)</script>"), "markup"],
    ["binary data", bytes(0, 1, 2, 3, 4, 0xfe, 0xff), "unknown"],
    ["invalid UTF-8", bytes(0x41, 0xc3, 0x28, 0x41), "unknown"],
    ["nothing", new Uint8Array(0), "empty"],
  ])("%s is refused (%s)", (_what, head, reason) => {
    expect(sniffFileType(head)).toEqual({ ok: false, reason });
  });

  it("a multi-byte character cut at the end of the sniffed window is still text", () => {
    const head = enc.encode(`${"a".repeat(1023)}é`).subarray(0, 1024);
    expect(sniffFileType(head, false)).toMatchObject({ ok: true, kind: "text" });
    // The same cut in a complete file is not valid UTF-8.
    expect(sniffFileType(head, true)).toEqual({ ok: false, reason: "unknown" });
  });
});

describe("cleanFileName", () => {
  it("drops paths, quotes and control characters, never returns an empty name, and keeps the extension of a long name", () => {
    expect(cleanFileName("C:\\Users\\me\\photo.jpg")).toBe("photo.jpg");
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName('a"b\r\nc.txt')).toBe("abc.txt");
    expect(cleanFileName("")).toBe("file");
    expect(cleanFileName("..")).toBe("file");
    const long = cleanFileName(`${"x".repeat(300)}.log`);
    expect(long).toHaveLength(FILE_LIMITS.nameLength);
    expect(long.endsWith(".log")).toBe(true);
  });
});
