/** A message's text (functions/services/messages/post.ts `checkBody`): plain text, line breaks kept. */
import { describe, expect, it } from "vitest";
import { checkBody, MAX_MESSAGE_CHARS } from "../../functions/services/messages/post.ts";

describe("checkBody", () => {
  it("keeps line breaks (as \\n) and tabs, drops other control characters and the blanks around", () => {
    expect(checkBody("  Line one\r\nLine two\rLine\tthree\u0000\u0007 \n", false, "en")).toBe("Line one\nLine two\nLine\tthree");
  });

  it("keeps markup as written: it is text, escaped where it is shown", () => {
    expect(checkBody('<script>alert("x")</script>', false, "en")).toBe('<script>alert("x")</script>');
  });

  it("refuses an empty message unless files come with it, and one that is too long, in the caller's language", () => {
    expect(() => checkBody("  \n ", false, "en")).toThrow(/Write a message/);
    expect(checkBody("", true, "en")).toBe("");
    expect(() => checkBody("x".repeat(MAX_MESSAGE_CHARS + 1), false, "de")).toThrow(/länger als/);
    expect(() => checkBody(undefined, false, "it")).toThrow(/Scriva un messaggio/);
  });
});
