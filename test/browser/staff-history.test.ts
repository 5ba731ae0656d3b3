/**
 * The merged history of an RMA in Chromium against the built Worker (JavaScript off, as a browser without
 * it): on the staff page, the request's files, the customer's message (escaped, its link not clickable),
 * the staff reply sent through the page's form with a thumbnail that loads and a PDF to download, an
 * internal note set apart, in time order and in the staff member's language; a refused reply back at
 * the form with the text kept; on the customer's page, the same conversation without the internal note
 * or any staff name. axe finds nothing on each of these states.
 */
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL } from "../../db/seed.ts";
import { signToken } from "../../functions/auth/tokens.ts";
import { statusLabel } from "../../functions/domain/lifecycle.ts";
import { t } from "../../functions/i18n/index.ts";
import { axeViolations } from "../support/browser.ts";
import { freshUnits, issueThroughWorker, requestBody } from "../support/requests.ts";
import { signInToWorker } from "../support/staff.ts";
import { customerWrites, SIX_PHOTOS, TINY_PDF, TINY_PNG } from "../support/staff-history.ts";
import { TEST_LINK_SECRET, useStack } from "../support/worker.ts";

const stack = useStack({ chromium: true });

const CUSTOMER_TEXT = "The connector is loose.\n<script>document.title='owned'</script>\nPhotos: https://evil.example/photos";
const NOTE = "Checked the stock: a spare connector board is on shelf B3.";

let n: string;
let cookie: string;

async function staffContext(javaScriptEnabled: boolean): Promise<BrowserContext> {
  const context = await stack.browser.newContext({ javaScriptEnabled });
  const [name = "", value = ""] = cookie.split("=");
  await context.addCookies([{ name, value, url: stack.worker.url }]);
  return context;
}

/** The history's entries as shown: [kind, text]. */
async function entries(page: Page): Promise<[string, string][]> {
  return page.$$eval("#history li[data-entry]", (items) =>
    items.map((li) => [li.getAttribute("data-entry") ?? "", (li as HTMLElement).textContent] as [string, string]),
  );
}

beforeAll(async () => {
  cookie = await signInToWorker(stack.worker.url);
  const { rmaNumbers, requestId } = await issueThroughWorker(stack.worker.url, requestBody(freshUnits(1)));
  n = rmaNumbers[0] ?? "";
  // A file of the request (its row: the page links to it).
  const [rma] = await stack.db.query("SELECT requested_at FROM rmas WHERE rma_number = ?", [n]);
  await stack.db.query(
    "INSERT INTO rma_files (id, rma_number, request_id, name, content_type, size, sha256, pieces, uploaded_by, created_at) VALUES (?, ?, ?, 'camera-config.json', 'application/json', 812, 'x', 1, 'customer', ?)",
    [crypto.randomUUID(), n, requestId, String(rma?.["requested_at"])],
  );
  const token = await signToken(TEST_LINK_SECRET, "rma", n);
  await customerWrites(stack.worker.url, `/rma/${n}?t=${token}`, CUSTOMER_TEXT);
});

describe("the merged history in Chromium", () => {
  it("on the staff page: the reply sent through the form, the note, every entry in time order; axe finds nothing", async () => {
    const context = await staffContext(false);
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/admin/rma/${n}`);
    // No reply form script: the plain multipart form.
    await page.fill("#message-body", "Thank you.\nPlease send the application's log too.");
    await page.setInputFiles("#message-files", [
      { name: "connector.png", mimeType: "image/png", buffer: Buffer.from(TINY_PNG) },
      { name: "instructions.pdf", mimeType: "application/pdf", buffer: Buffer.from(TINY_PDF) },
    ]);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("sent") === "message"),
      page.click("#message-form button[type=submit]"),
    ]);
    expect(await page.textContent("#message-form [role=status]")).toBe(t("en", "workshop.replySent"));
    await page.fill("#f-note-body", NOTE);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("done") === "note-added"),
      page.click("#act-note button[type=submit]"),
    ]);

    const shown = await entries(page);
    expect(shown.map(([kind]) => kind)).toEqual(["event", "request-files", "message", "message", "note"]);
    expect(shown[1]?.[1]).toContain("camera-config.json");
    expect(shown[2]?.[1]).toContain("Customer");
    expect(shown[2]?.[1]).toContain("<script>document.title='owned'</script>");
    expect(shown[3]?.[1]).toContain(`(${DEMO_ADMIN_EMAIL})`);
    expect(shown[3]?.[1]).toContain("Thank you.\nPlease send the application's log too.");
    expect(shown[4]?.[1]).toContain(t("en", "team.notes.internal"));
    expect(shown[4]?.[1]).toContain(NOTE);
    // The customer's markup stayed text, and the address in it is no link.
    expect(await page.title()).not.toBe("owned");
    expect(await page.locator('#history a[href^="https://evil.example"]').count()).toBe(0);
    // The photo is a thumbnail sized by CSS that loads through the file route (the staff session); the PDF a download.
    const thumb = page.locator('#history img[alt="connector.png"]');
    await thumb.waitFor();
    const size = await thumb.evaluate((img: HTMLImageElement) => ({
      loaded: img.complete && img.naturalWidth > 0,
      width: img.getBoundingClientRect().width,
    }));
    expect(size).toEqual({ loaded: true, width: 96 });
    expect(await page.getAttribute('#history a[download="instructions.pdf"]', "href")).toMatch(
      new RegExp(`^/api/rmas/${n}/files/`),
    );
    // The note is set apart from the conversation.
    const noteStyle = await page
      .locator("#history li[data-entry=note]")
      .evaluate((li) => `${getComputedStyle(li).borderLeftStyle} ${getComputedStyle(li).backgroundColor}`);
    expect(noteStyle).toBe("dashed rgb(255, 247, 224)");
    await context.close();

    const audited = await staffContext(true);
    const axePage = await audited.newPage();
    await axePage.goto(`${stack.worker.url}/admin/rma/${n}`);
    expect(await axeViolations(axePage)).toEqual([]);
    await audited.close();
  });

  it("a refused reply comes back at the form, the text kept, nothing stored; axe finds nothing", async () => {
    const before = await stack.db.query("SELECT count(*) AS m FROM rma_messages");
    // JavaScript on for axe (the page has no script of its own for this form: it posts as without it).
    const context = await staffContext(true);
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/admin/rma/${n}`);
    await page.fill("#message-body", "Here are all the photos.\nSix of them.");
    await page.setInputFiles(
      "#message-files",
      SIX_PHOTOS.map((p) => ({ name: p.name, mimeType: p.type, buffer: Buffer.from(p.bytes) })),
    );
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.click("#message-form button[type=submit]"),
    ]);
    await page.waitForLoadState("load");
    expect(answer.status()).toBe(422);
    expect(await page.textContent("#message-error")).toBe(t("en", "files.tooMany", { name: "photo-6.png", max: 5 }));
    expect(await page.inputValue("#message-body")).toBe("Here are all the photos.\nSix of them.");
    expect(await page.getAttribute("#message-files", "aria-describedby")).toBe("message-files-hint message-error");
    expect(await stack.db.query("SELECT count(*) AS m FROM rma_messages")).toEqual(before);
    // axe on the refused state as the browser holds it.
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it("in the staff member's language: Italian titles and words", async () => {
    await stack.db.query("UPDATE staff_users SET locale = 'it' WHERE email = ?", [DEMO_ADMIN_EMAIL]);
    try {
      const context = await staffContext(false);
      const page = await context.newPage();
      await page.goto(`${stack.worker.url}/admin/rma/${n}`);
      expect(await page.textContent("#history-title")).toBe(t("it", "files.history"));
      expect(await page.textContent("#stage-times-h")).toContain(t("it", "insight.stageTimes.title"));
      expect(await page.textContent("#history li[data-entry=note]")).toContain(t("it", "team.notes.internal"));
      expect(await page.textContent("#history li[data-entry=event] .title")).toBe(statusLabel("requested", "it"));
      expect(await page.textContent("label[for=message-body]")).toBe(t("it", "files.replyLabel"));
      await context.close();
    } finally {
      await stack.db.query("UPDATE staff_users SET locale = 'en' WHERE email = ?", [DEMO_ADMIN_EMAIL]);
    }
  });

  it("on the customer's page: the conversation and files, no internal note, no staff name; axe finds nothing", async () => {
    const token = await signToken(TEST_LINK_SECRET, "rma", n);
    const context = await stack.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.worker.url}/rma/${n}?t=${token}`);
    const shown = await entries(page);
    expect(shown.map(([kind]) => kind)).toEqual(["event", "request-files", "message", "message"]);
    expect(shown[2]?.[1]).toContain(t("en", "files.fromYou"));
    expect(shown[3]?.[1]).toContain(t("en", "files.fromStaff"));
    const html = await page.content();
    expect(html).not.toContain(NOTE);
    expect(html).not.toContain(DEMO_ADMIN_EMAIL);
    const thumb = page.locator('#history img[alt="connector.png"]');
    expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await context.close();

    const audited = await stack.browser.newContext();
    const axePage = await audited.newPage();
    await axePage.goto(`${stack.worker.url}/rma/${n}?t=${token}`);
    expect(await axeViolations(axePage)).toEqual([]);
    await audited.close();
  });
});
