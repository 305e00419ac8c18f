// docker-compose services as Traefik reads them: routers and their options in `labels`, static configuration
// (`--api.insecure`, `--certificatesresolvers.NAME.…`) in the Traefik service's `command`.
import { child, entriesOf, itemsOf, type TreeNode } from "../../formats/tree.js";

/** docker-compose `services`: name and body. */
export function composeServices(tree: TreeNode | null): [string, TreeNode][] {
  return tree?.kind === "map" ? entriesOf(child(tree, "services")) : [];
}

/** A compose service's labels, as a list of `key=value` or a map. */
export function composeLabels(body: TreeNode): { name: string; value: string; line: number }[] {
  const labels = child(body, "labels");
  if (labels?.kind === "map")
    return entriesOf(labels).flatMap(([name, value]) =>
      value.kind === "scalar" && value.value !== null
        ? [{ name, value: String(value.value), line: value.line }]
        : [],
    );
  return itemsOf(labels).flatMap((item) => {
    const text = item.kind === "scalar" && item.value !== null ? String(item.value) : "";
    const at = text.indexOf("=");
    return at > 0
      ? [{ name: text.slice(0, at).trim(), value: text.slice(at + 1).trim(), line: item.line }]
      : [];
  });
}

/** A compose service's command, as arguments (a list, or a string split on spaces). */
export function composeCommand(body: TreeNode): string[] {
  const command = child(body, "command");
  if (command?.kind === "scalar")
    return String(command.value ?? "")
      .split(/\s+/)
      .filter(Boolean);
  return itemsOf(command).flatMap((item) =>
    item.kind === "scalar" && item.value !== null ? [String(item.value)] : [],
  );
}
