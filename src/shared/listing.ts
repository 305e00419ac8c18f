/** "a", "a and b", "a, b and c" (or with "or"); "" for none. */
export function listing(items: readonly string[], last: "and" | "or" = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${last} ${items.at(-1)!}`;
}
