/**
 * Progressive enhancement of the request form: each serial number is checked as it is typed, and
 * units are added and removed in place. Without this script the same buttons post to the server.
 */

import {
  describeRegisteredUnit,
  describeUnknownUnit,
  type UnitVerdict,
  type VerdictWords,
} from "../../functions/domain/verdict-text.ts";
import { withUnitIndex } from "../lib/field-id.ts";

const form = document.querySelector<HTMLFormElement>("#rma-form");
const unitsBox = document.querySelector<HTMLElement>("#units");
const template = document.querySelector<HTMLTemplateElement>("#unit-template");
/** The page's language: the verdicts' words come from the form's `data-verdict-*` (the page's catalogue). */
const lang = document.documentElement.lang || "en";
const dates = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});
const words: VerdictWords = {
  covered: form?.dataset["verdictCovered"] ?? "",
  // A unit only a past repair's warranty covers (`data-verdict-covered-by-repair`; `covered` when the page has none).
  coveredByRepair: form?.dataset["verdictCoveredByRepair"] || undefined,
  notCovered: form?.dataset["verdictNotCovered"] ?? "",
  unknown: form?.dataset["verdictUnknown"] ?? "",
  date: (iso) => dates.format(new Date(`${iso}T00:00:00Z`)),
};

interface SerialAnswer {
  serialNumber: string;
  model: string;
  purchaseDate: string;
  /** `repair`: the past RMA whose repair warranty alone covers the unit, and its last day. */
  warranty: { covered: boolean; until: string; repair?: { rmaNumber: string; until: string; words?: string } };
}

function showVerdict(fieldset: HTMLElement, verdict: UnitVerdict | null) {
  const box = fieldset.querySelector<HTMLElement>("[data-verdict-for]");
  if (!box) return;
  box.classList.remove("covered", "not-covered", "unknown");
  if (verdict) box.classList.add(verdict.kind);
  box.textContent = verdict?.text ?? "";
}

function field(fieldset: HTMLElement, name: string) {
  return fieldset.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-field$=".${name}"]`);
}

const pending = new WeakMap<HTMLElement, { timer?: ReturnType<typeof setTimeout>; controller?: AbortController }>();

async function checkSerial(fieldset: HTMLElement) {
  const serialInput = field(fieldset, "serialNumber");
  const purchase = field(fieldset, "purchaseDate") as HTMLInputElement | null;
  const model = field(fieldset, "model") as HTMLSelectElement | null;
  if (!serialInput || !purchase) return;
  const serial = serialInput.value.trim().toUpperCase().replace(/\s+/g, "");
  const state = pending.get(fieldset) ?? {};
  state.controller?.abort();
  if (serial.length < 4) {
    showVerdict(fieldset, null);
    return;
  }
  const controller = new AbortController();
  state.controller = controller;
  pending.set(fieldset, state);
  try {
    const res = await fetch(`/api/serials/${encodeURIComponent(serial)}`, {
      signal: controller.signal,
      // The API answers in the page's language (its refusal messages follow Accept-Language).
      headers: { accept: "application/json", "accept-language": lang },
    });
    const body = (await res.json()) as SerialAnswer | { error: { message: string } };
    if ("error" in body) {
      if (purchase.dataset["fromRegistry"]) {
        purchase.readOnly = false;
        purchase.value = "";
        delete purchase.dataset["fromRegistry"];
      }
      showVerdict(
        fieldset,
        res.status === 404 ? describeUnknownUnit(body.error.message, words) : { kind: "unknown", text: body.error.message },
      );
      return;
    }
    // A unit only a repair's warranty covers is sent without its purchase date, so issuing reads its past
    // repairs (the one-round-trip path, which takes stated dates as the facts, does not read them).
    purchase.value = body.warranty.repair ? "" : body.purchaseDate;
    purchase.readOnly = true;
    purchase.dataset["fromRegistry"] = "1";
    if (model && model.value === "") model.value = body.model;
    const verdict = describeRegisteredUnit(body, words);
    // Without the page's template for it, the API's own sentence in the page's language names the repair's RMA.
    const repairWords = body.warranty.repair?.words;
    showVerdict(fieldset, repairWords && !words.coveredByRepair ? { ...verdict, text: repairWords } : verdict);
  } catch (err) {
    if ((err as Error).name !== "AbortError") showVerdict(fieldset, null);
  }
}

const UNIT_ATTRIBUTES = [
  "name",
  "id",
  "for",
  "aria-describedby",
  "data-field",
  "data-error-for",
  "data-verdict-for",
  "data-field-wrapper",
  "value",
] as const;

/** Numbers the units from their place in the form: names, ids and every reference to them, and "Unit N". */
function renumber() {
  if (!unitsBox) return;
  const units = [...unitsBox.querySelectorAll<HTMLElement>("fieldset.unit")];
  units.forEach((fs, i) => {
    fs.dataset["unit"] = String(i);
    for (const el of fs.querySelectorAll<HTMLElement>(UNIT_ATTRIBUTES.map((a) => `[${a}]`).join(", "))) {
      for (const attr of UNIT_ATTRIBUTES) {
        const v = el.getAttribute(attr);
        if (v === null) continue;
        if (attr === "value" && !v.startsWith("remove-")) continue;
        const renumbered = withUnitIndex(v, i);
        if (renumbered !== v) el.setAttribute(attr, renumbered);
      }
    }
    for (const n of fs.querySelectorAll("[data-unit-number]")) n.textContent = String(i + 1);
    const remove = fs.querySelector<HTMLElement>("[data-remove-unit]");
    if (remove) remove.hidden = units.length === 1;
  });
  const add = document.querySelector<HTMLButtonElement>("[data-add-unit]");
  const max = Number(form?.dataset["maxUnits"] ?? 20);
  if (add) add.disabled = units.length >= max;
}

function addUnit() {
  if (!template || !unitsBox) return;
  const clone = template.content.firstElementChild?.cloneNode(true) as HTMLElement | undefined;
  if (!clone) return;
  unitsBox.append(clone);
  renumber();
  field(clone, "serialNumber")?.focus();
}

if (form && unitsBox && template) {
  form.addEventListener("click", (event) => {
    const target = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
    if (!target) return;
    if (target.matches("[data-add-unit]")) {
      event.preventDefault();
      addUnit();
    } else if (target.matches("[data-remove-unit]")) {
      event.preventDefault();
      const fs = target.closest<HTMLElement>("fieldset.unit");
      const next = fs?.nextElementSibling ?? fs?.previousElementSibling;
      fs?.remove();
      renumber();
      (next?.querySelector("input, select, textarea") as HTMLElement | null)?.focus();
    } else if (target.matches("[data-check-serials]")) {
      event.preventDefault();
      for (const fs of unitsBox.querySelectorAll<HTMLElement>("fieldset.unit")) void checkSerial(fs);
    }
  });
  unitsBox.addEventListener("input", (event) => {
    const input = event.target as HTMLElement;
    if (!input.matches('[data-field$=".serialNumber"]')) return;
    const fs = input.closest<HTMLElement>("fieldset.unit");
    if (!fs) return;
    const state = pending.get(fs) ?? {};
    clearTimeout(state.timer);
    state.timer = setTimeout(() => void checkSerial(fs), 350);
    pending.set(fs, state);
  });
  // Serials already typed (after the page came back with errors) are checked at once.
  for (const fs of unitsBox.querySelectorAll<HTMLElement>("fieldset.unit")) {
    if (field(fs, "serialNumber")?.value) void checkSerial(fs);
  }
  renumber();
  document.querySelector<HTMLElement>("#form-errors")?.focus();
}
