/** Ids of the form's controls, and the renumbering of units the request form's script does with them. */
import { describe, expect, it } from "vitest";
import { fieldId, UNIT_INDEX, withUnitIndex } from "../../src/lib/field-id.ts";

describe("form control ids", () => {
  it("turns a field's path into an id", () => {
    expect(fieldId("units.0.serialNumber")).toBe("f-units-0-serialNumber");
    expect(fieldId("contact.email")).toBe("f-contact-email");
  });

  it("keeps the template's unit placeholder whole, so the script can find it in ids too", () => {
    expect(fieldId(`units.${UNIT_INDEX}.serialNumber`)).toBe(`f-units-${UNIT_INDEX}-serialNumber`);
    expect(withUnitIndex(fieldId(`units.${UNIT_INDEX}.serialNumber`), 4)).toBe("f-units-4-serialNumber");
  });

  it("renumbers names, ids, id lists and the remove button's value, from the placeholder or an old index", () => {
    expect(withUnitIndex(`units.${UNIT_INDEX}.model`, 2)).toBe("units.2.model");
    expect(withUnitIndex("units.3.model", 2)).toBe("units.2.model");
    expect(withUnitIndex(`f-units-${UNIT_INDEX}-purchaseDate-hint f-units-${UNIT_INDEX}-purchaseDate-error`, 1)).toBe(
      "f-units-1-purchaseDate-hint f-units-1-purchaseDate-error",
    );
    expect(withUnitIndex("f-units-12-issueDescription-error", 11)).toBe("f-units-11-issueDescription-error");
    expect(withUnitIndex(`remove-${UNIT_INDEX}`, 5)).toBe("remove-5");
    expect(withUnitIndex("remove-7", 6)).toBe("remove-6");
  });

  it("leaves everything else alone", () => {
    expect(withUnitIndex("f-contact-email", 3)).toBe("f-contact-email");
    expect(withUnitIndex("add-unit", 3)).toBe("add-unit");
    expect(withUnitIndex("subunits.2", 3)).toBe("subunits.2");
  });
});
