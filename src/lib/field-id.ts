/**
 * Ids of the form controls, shared by the pages that render them and the request form's script that
 * renumbers units added in the browser.
 */

/** Stands for a unit's index in the request form's `<template>`; the form's script replaces it. */
export const UNIT_INDEX = "__INDEX__";

/**
 * The id of the control for a field: `units.0.serialNumber` → `f-units-0-serialNumber`. Underscores are
 * kept, so the template's `units.__INDEX__.serialNumber` gives `f-units-__INDEX__-serialNumber`, in which
 * the script still finds the placeholder.
 */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_]+/g, "-")}`;
}

/**
 * Rewrites the unit index in an attribute's value (a name, an id, an `aria-describedby` list, a
 * `remove-N` button value): `units.3.model` / `f-units-__INDEX__-model-error` / `remove-3` with `index`.
 */
export function withUnitIndex(value: string, index: number): string {
  return value
    .replace(new RegExp(`(?<![A-Za-z0-9_])(units[.-])(\\d+|${UNIT_INDEX})(?=[.-]|$)`, "g"), `$1${index}`)
    .replace(new RegExp(`^remove-(\\d+|${UNIT_INDEX})$`), `remove-${index}`);
}
