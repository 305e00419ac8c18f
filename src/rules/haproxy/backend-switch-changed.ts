import { child, itemsOf, type TreeNode } from "../../formats/tree.js";
import { objectPath, objectsOf } from "../model/kubernetes/objects.js";
import { haproxySections } from "../model/haproxy/sections.js";
import { defineRule, type Detection } from "../types.js";

/** One backend-switching decision: requests matching `condition` (or every other request, for the default) go to `backend`. */
interface Switch {
  /** `if is_api`, `default`: what selects the traffic, compared across versions. */
  readonly condition: string;
  readonly backend: string;
  readonly line: number;
}

interface Switcher {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly switches: readonly Switch[];
  /** Backends defined in the same file (HAProxy config); undefined when they live elsewhere (a controller CRD). */
  readonly defined: ReadonlySet<string> | undefined;
}

// A backend chosen from a sample at run time (`use_backend %[req.hdr(host),map(...)]`) is not a fixed name.
const dynamic = (backend: string): boolean => backend.includes("%[");

function configSwitchers(tree: TreeNode): Switcher[] {
  const sections = haproxySections(tree);
  const defined = new Set(
    sections.flatMap((section) =>
      section.kind === "backend" || section.kind === "listen" ? [section.name ?? ""] : [],
    ),
  );
  return sections.flatMap((section) => {
    if (section.kind !== "frontend" && section.kind !== "listen" && section.kind !== "defaults")
      return [];
    const switches: Switch[] = [];
    for (const node of itemsOf(child(section.body, "use_backend"))) {
      if (node.kind !== "scalar" || node.value === null) continue;
      const [backend = "", ...rest] = String(node.value).trim().split(/\s+/);
      switches.push({ condition: rest.join(" ") || "always", backend, line: node.line });
    }
    const fallback = itemsOf(child(section.body, "default_backend")).at(-1);
    if (fallback?.kind === "scalar" && fallback.value !== null)
      switches.push({ condition: "default", backend: String(fallback.value), line: fallback.line });
    return [{ key: section.key, label: section.label, path: section.key, switches, defined }];
  });
}

/** HAProxy controller custom resources: `backend_switching_rule_list[]` (name, cond, cond_test) and `default_backend`. */
function resourceSwitchers(tree: TreeNode): Switcher[] {
  return objectsOf(tree).flatMap((object) => {
    if (!/haproxy\.org\//.test(object.apiVersion)) return [];
    const out: Switcher[] = [];
    const visit = (node: TreeNode, where: string): void => {
      if (node.kind === "list") {
        node.items.forEach((item, index) => visit(item, `${where}[${index}]`));
        return;
      }
      if (node.kind !== "map") return;
      const rules = child(node, "backend_switching_rule_list");
      const fallback = child(node, "default_backend");
      if (rules || fallback) {
        const switches: Switch[] = itemsOf(rules).flatMap((rule) => {
          const name = child(rule, "name");
          if (name?.kind !== "scalar" || name.value === null) return [];
          const cond = [child(rule, "cond"), child(rule, "cond_test")]
            .map((part) => (part?.kind === "scalar" ? String(part.value) : ""))
            .join(" ")
            .trim();
          return [{ condition: cond || "always", backend: String(name.value), line: name.line }];
        });
        if (fallback?.kind === "scalar" && fallback.value !== null)
          switches.push({
            condition: "default",
            backend: String(fallback.value),
            line: fallback.line,
          });
        const frontend = child(node, "name");
        const label = frontend?.kind === "scalar" ? `frontend ${String(frontend.value)}` : where;
        out.push({
          key: `${object.id}|${label}`,
          label: `${label} of ${object.label}`,
          path: objectPath(object),
          switches,
          defined: undefined,
        });
      }
      for (const [, value] of node.entries) visit(value, where);
    };
    visit(object.body, "spec");
    return out;
  });
}

/** The traffic a use_backend or default_backend selects now goes to another backend. */
export default defineRule({
  id: "haproxy.backend-switch.changed",
  family: "haproxy",
  title: "Backend switching rule sends traffic elsewhere",
  description:
    "A `use_backend` (same condition) or `default_backend` of a frontend or listen section that stays now names " +
    "another backend, or a `use_backend` rule is removed so its traffic falls to the default backend; the same for " +
    "the HAProxy controller's custom resources (`backend_switching_rule_list`, `default_backend`). High: that " +
    "traffic reaches a pool that has not served it, or none if the name does not exist. A backend renamed with every " +
    "reference to it (the old name no longer defined, the new one newly defined in the file) and names built at " +
    "run time (`%[...]`) do not fire.",
  severity: "high",
  params: {},
  dialects: ["haproxy", "kubernetes"],
  check(file) {
    if (!file.before || !file.after) return [];
    const read = file.dialect === "haproxy" ? configSwitchers : resourceSwitchers;
    const before = new Map(read(file.before).map((switcher) => [switcher.key, switcher]));
    const findings: Detection[] = [];
    for (const now of read(file.after)) {
      const was = before.get(now.key);
      if (!was) continue;
      const renamed = (from: string, to: string): boolean =>
        was.defined !== undefined &&
        now.defined !== undefined &&
        !now.defined.has(from) &&
        !was.defined.has(to) &&
        now.defined.has(to);
      const changes: { condition: string; from: string; to: string | undefined; line: number }[] =
        [];
      // Indexed once per switcher: a frontend may hold thousands of use_backend rules.
      const byCondition = new Map<string, Switch[]>();
      for (const entry of now.switches) {
        const list = byCondition.get(entry.condition);
        if (list) list.push(entry);
        else byCondition.set(entry.condition, [entry]);
      }
      const chosen = new Set(now.switches.map((entry) => entry.backend));
      for (const old of was.switches) {
        if (dynamic(old.backend)) continue;
        const same = byCondition.get(old.condition) ?? [];
        if (same.some((entry) => entry.backend === old.backend)) continue;
        const next = same[0];
        if (next && (dynamic(next.backend) || renamed(old.backend, next.backend))) continue;
        // A use_backend rule gone whose backend is still chosen by another rule was reworded, not removed.
        if (!next && chosen.has(old.backend)) continue;
        if (!next && old.condition === "default") continue;
        changes.push({
          condition: old.condition,
          from: old.backend,
          to: next?.backend,
          line: next?.line ?? old.line,
        });
      }
      if (changes.length === 0) continue;
      const fallback = now.switches.find((entry) => entry.condition === "default")?.backend;
      const describe = (change: (typeof changes)[number]): string => {
        const what =
          change.condition === "default"
            ? "unmatched traffic"
            : `traffic ${change.condition === "always" ? "of every request" : change.condition}`;
        return change.to
          ? `${what} goes to ${change.to} instead of ${change.from}${now.defined && !now.defined.has(change.to) ? ` (no backend ${change.to} is defined in this file)` : ""}`
          : `the rule sending ${what} to ${change.from} is removed, so it falls to ${fallback ?? "no backend (503)"}`;
      };
      const first = changes[0]!;
      findings.push({
        severity: "high",
        line: first.line,
        path: now.path,
        message:
          `${now.label}: ${changes.map(describe).join("; ")}: that traffic reaches a pool that has not served it, or none if the name does not exist. ` +
          `Safe: keep \`use_backend ${first.from}${first.condition === "default" || first.condition === "always" ? "" : ` ${first.condition}`}\` until ${first.to ?? "its replacement"} is proven with part of the traffic.`,
        before: changes.map((change) => change.from),
        after: changes.map((change) => change.to ?? null),
        checklist: [
          `Confirm ${first.to ?? fallback ?? "the remaining backends"} serves what ${first.from} served, under that name.`,
        ],
      });
    }
    return findings;
  },
});
