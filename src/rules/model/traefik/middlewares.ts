// Traefik middlewares by name: whether one guards access (authentication, allow lists, rate limits, the HTTPS
// redirect), read from its definition in the file provider (`http.middlewares.NAME.TYPE`) or in a Kubernetes
// `Middleware` object (`spec.TYPE`).
import { entriesOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { formatPath } from "../../../diff/path.js";
import type { Detection, FileUnderReview } from "../../types.js";
import { quoteItem, reorderedLabels, reordersOf } from "../order.js";
import { fold } from "./keys.js";
import { safe } from "../advice.js";

// Middleware types that decide who gets in or how much: https://doc.traefik.io/traefik/middlewares/http/overview/
const ACCESS_TYPES = new Set([
  "basicauth",
  "digestauth",
  "forwardauth",
  "ipallowlist",
  "ipwhitelist",
  "ratelimit",
  "inflightreq",
  "redirectscheme",
  "chain",
]);

/**
 * What a referenced middleware does to access: "access" or "other" when its definition is in the file,
 * undefined when it is defined elsewhere (another file, labels, another provider).
 */
function middlewareRole(tree: TreeNode | null, reference: string): "access" | "other" | undefined {
  if (!tree) return undefined;
  const name = reference.replace(/@[\w-]+$/, "");
  const types = definitionTypes(tree, name);
  if (types === undefined) return undefined;
  return types.some((type) => ACCESS_TYPES.has(type.toLowerCase())) ? "access" : "other";
}

function definitionTypes(tree: TreeNode, name: string): string[] | undefined {
  for (const document of tree.kind === "list" ? tree.items : [tree]) {
    for (const protocol of ["http", "tcp"]) {
      const definition = fold(fold(document, protocol, "middlewares"), name);
      if (definition) return entriesOf(definition).map(([type]) => type);
    }
    const kind = scalarAt(document, "kind");
    if (
      (kind === "Middleware" || kind === "MiddlewareTCP") &&
      scalarAt(document, "metadata", "name") === name
    )
      return entriesOf(fold(document, "spec")).map(([type]) => type);
  }
  return undefined;
}

/** The referenced name of a middleware list item: `auth@file`, or a CRD reference's `name`. */
function middlewareName(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const name = (value as Record<string, unknown>)["name"];
    return typeof name === "string" ? name : undefined;
  }
  return undefined;
}

/**
 * Findings for kept middlewares of a router, IngressRoute route or chain now in a new order: high when one of the
 * two guards access or is defined outside the file, medium when both are known to do something else.
 */
export function middlewareReorders(file: FileUnderReview): Detection[] {
  return reordersOf(file, ["traefik.middlewares"]).map((reorder) => {
    const names = [reorder.moved, reorder.overtook].map(
      (entry) => middlewareName(entry.value) ?? entry.label,
    );
    const roles = names.map((name) => middlewareRole(file.after, name));
    // Others that changed place too (a rotation): one guarding access makes the reorder high.
    const alsoGuarding = reorderedLabels(reorder.change)
      .map((label) => label.replace(/^name=/, ""))
      .filter((name) => !names.includes(name) && middlewareRole(file.after, name) === "access");
    const access = roles.some((role) => role !== "other") || alsoGuarding.length > 0;
    const [moved, overtook] = [reorder.moved, reorder.overtook].map((entry, index) =>
      quoteItem({ ...entry, label: names[index]! }),
    );
    const also = alsoGuarding.map((name) => `"${name}"`).join(", ");
    const owner = formatPath(reorder.change.segments.slice(0, -1)) || "the file";
    return {
      severity: access ? "high" : "medium",
      line: reorder.moved.afterLine,
      path: reorder.change.path,
      message: `${owner}: middleware ${moved} now runs before ${overtook}: middlewares run in the order listed${
        roles.includes("access")
          ? ", and one of them guards access (authentication, allow list, rate limit or HTTPS redirect)"
          : roles.some((role) => role === undefined)
            ? ", and one of them is defined outside this file, so what it guards cannot be seen here"
            : ""
      }${alsoGuarding.length > 0 ? `; ${also}, which guards access, also changed place` : ""}.${access ? safe(`keep ${overtook} ahead of ${moved}, as before`) : ""}`,
      before: reorder.change.before,
      after: reorder.change.after,
      checklist: [
        `Confirm requests should pass ${moved} before ${overtook} (for example, authentication before anything that rewrites or answers the request).`,
      ],
    };
  });
}
