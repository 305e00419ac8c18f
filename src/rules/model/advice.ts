// The advice a high or critical finding ends with (docs/output.md): "Safe:" and the concrete value or
// edit that would pass, so the author knows what to write, not only what is wrong.
import type { Plain } from "../../formats/tree.js";

/** The closing sentence of a high finding's message: ` Safe: <advice>.` */
export function safe(advice: string): string {
  return ` Safe: ${advice.replace(/\.$/, "")}.`;
}

/** A value as advice shows it: strings quoted, the rest as JSON. */
export function shown(value: Plain | undefined): string {
  if (value === undefined) return "(absent)";
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}
