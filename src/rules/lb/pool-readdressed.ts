import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { nameList, plural } from "../message.js";
import { referenced, stringValues } from "../model/lb-resources.js";
import { type Pool, type PoolMember, poolsOf } from "../model/pools.js";

/**
 * The pools of both versions paired by key, then a pool that disappeared paired with a new pool of the same type
 * when the references moved with it (the old name is used before and nowhere after, the new name is used after):
 * the traffic that reached the old pool now reaches the new one.
 */
function pairedPools(
  before: readonly Pool[],
  after: readonly Pool[],
  used: () => { readonly before: string[]; readonly after: string[] },
): [Pool, Pool][] {
  const afterKeys = new Map(after.map((pool) => [pool.key, pool]));
  const beforeKeys = new Set(before.map((pool) => pool.key));
  const pairs: [Pool, Pool][] = [];
  const gone: Pool[] = [];
  for (const pool of before) {
    const same = afterKeys.get(pool.key);
    if (same) pairs.push([pool, same]);
    else gone.push(pool);
  }
  const fresh = after.filter((pool) => !beforeKeys.has(pool.key));
  // Reading every string of both trees only pays off when a pool may have been renamed.
  if (gone.length === 0 || fresh.length === 0) return pairs;
  const { before: usedBefore, after: usedAfter } = used();
  for (const old of gone) {
    if (!referenced(old.name, usedBefore) || referenced(old.name, usedAfter)) continue;
    const index = fresh.findIndex(
      (pool) =>
        pool.type === old.type &&
        referenced(pool.name, usedAfter) &&
        !referenced(pool.name, usedBefore),
    );
    if (index < 0) continue;
    pairs.push([old, fresh[index]!]);
    fresh.splice(index, 1);
  }
  return pairs;
}

const show = (members: readonly PoolMember[]): string =>
  nameList(members.map((member) => member.address));
const code = (members: readonly PoolMember[]): string =>
  nameList(members.map((member) => `\`${member.address}\``));

/** Every server of a pool re-addressed at once sends all its traffic to addresses nothing has proven yet. */
export default defineRule({
  id: "lb.pool.readdressed",
  family: "lb",
  title: "Servers of a pool re-addressed",
  description:
    "The addresses a pool sends traffic to change: nginx upstream servers (http and stream), HAProxy servers and " +
    "server-templates, Envoy cluster endpoints, Traefik load-balancer servers, Kubernetes Endpoints, EndpointSlices " +
    "and ExternalName Services, Terraform target attachments (AWS target group attachments, Azure backend pool " +
    "addresses, Google network endpoints, grouped by the pool they name) and CloudFormation target group `Targets`. " +
    "Only addresses written in the file count: a pool with a member set by an expression is not judged. The pool is judged as a whole (its active addresses before against after), so a " +
    "server renamed with its address, or replaced by another line, counts the same. Critical when every active " +
    "address of the pool changes at once (all its traffic moves together), or when static servers are replaced by " +
    "an NGINX Plus `state` file, which starts empty until the API fills it; high when some addresses are replaced, " +
    "when static endpoints are replaced by Envoy EDS (empty until the management server sends them), " +
    "or when static servers are replaced by DNS discovery (`resolve`, `server-template`, `resolvers`), which is empty " +
    "until the name resolves. A pool renamed together with every reference to it is compared with its new name. " +
    "Servers only removed (no new address) are capacity, judged by the removal rules.",
  severity: "critical",
  params: {},
  dialects: ["nginx", "haproxy", "envoy", "traefik", "kubernetes", "terraform", "cloudformation"],
  check(file) {
    if (!file.before || !file.after) return [];
    const findings: Detection[] = [];
    const pairs = pairedPools(
      poolsOf(file.dialect, file.before),
      poolsOf(file.dialect, file.after),
      () => ({ before: stringValues(file.before), after: stringValues(file.after) }),
    );
    for (const [before, after] of pairs) {
      if (before.templated || after.templated) continue;
      const was = before.members.filter((member) => member.active);
      const now = after.members.filter((member) => member.active);
      if (was.length === 0) continue;
      const renamed = before.key === after.key ? "" : ` (renamed from ${before.name})`;
      const label = `${after.label}${renamed}`;
      const nowAddresses = new Set(now.map((member) => member.compare));
      const wasAddresses = new Set(was.map((member) => member.compare));
      const gone = was.filter((member) => !nowAddresses.has(member.compare));
      const added = now.filter((member) => !wasAddresses.has(member.compare));
      // Static servers replaced by a source that starts empty.
      if (after.dynamic && !before.dynamic && gone.length === was.length && now.length === 0) {
        const state = after.dynamic.kind === "state";
        findings.push({
          severity: state ? "critical" : "high",
          line: after.dynamic.line,
          path: after.path,
          message:
            `${label} replaces all ${plural(was.length, "server")} (${show(was)}) with \`${after.dynamic.text}\`: ` +
            (state
              ? "the pool starts empty until something writes that file through the API, so every request fails with 502 until then. "
              : "its endpoints now come from the management server, so the pool is empty (every request fails) until it sends them. ") +
            `Safe: keep the static servers (${code(was)}) until the ${state ? "API has been seeded" : "management server serves this cluster"}, or seed it in the same release.`,
          before: was.map((member) => member.address),
          after: after.dynamic.text,
          figures: { serversBefore: was.length, serversAfter: 0 },
          checklist: [
            state
              ? `Confirm the state file of ${after.label} is filled (NGINX Plus API) before this configuration is loaded.`
              : `Confirm the management server already serves endpoints for ${after.label}.`,
          ],
        });
        continue;
      }
      if (gone.length === 0 || added.length === 0) continue;
      const newlyDiscovered =
        added.every((member) => member.discovered) && !was.some((member) => member.discovered);
      const every = gone.length === was.length;
      const severity: Severity = every && !newlyDiscovered ? "critical" : "high";
      const first = added[0]!;
      const what = every
        ? `re-addresses every active server at once (${show(gone)} → ${show(added)})`
        : `re-addresses ${gone.length} of its ${plural(was.length, "active server")} (${show(gone)} → ${show(added)})`;
      const consequence = newlyDiscovered
        ? "the new servers are found through DNS at run time, so the pool is empty until the name resolves, and a name that does not resolve leaves it empty"
        : every
          ? "all of its traffic moves together to addresses that have not served it yet: if one is wrong, nothing answers"
          : "the traffic of the replaced servers moves to addresses that have not served it yet";
      findings.push({
        severity,
        line: first.line,
        path: first.path,
        message:
          `${label} ${what}: ${consequence}. Safe: add ${code(added)} next to ${code(gone)}, ` +
          "confirm the new addresses answer, then remove the old ones in a later change.",
        before: gone.map((member) => member.address),
        after: added.map((member) => member.address),
        figures: {
          activeServersBefore: was.length,
          activeServersAfter: now.length,
          readdressed: gone.length,
        },
        checklist: [
          `Confirm ${show(added)} ${added.length === 1 ? "is" : "are"} up and serving what ${after.label} serves before this is applied.`,
        ],
      });
    }
    return findings;
  },
});
