import { aliasesOf, composeServices, referencesOf, servicePath } from "../model/compose.js";
import { defineRule, type Detection } from "../types.js";

const HOW: Record<string, string> = {
  depends_on: "Compose refuses to start the project (a dependency on an undefined service)",
  links: "Compose refuses to start the project (a link to an undefined service)",
  "a URL": "its requests to that name fail to resolve",
};

/** Services reach each other by name: renaming or removing one breaks every service that still calls it. */
export default defineRule({
  id: "compose.service.removed-while-referenced",
  family: "compose",
  title: "Service renamed or removed while others still use its name",
  description:
    "A docker-compose service is removed or renamed, while another service of the file still names it in " +
    "`depends_on` or `links` (Compose then refuses to start the project), or in a URL of its environment, command " +
    "or configuration (`http://api:8080`: the name no longer resolves). A name still answered by another service's " +
    "network alias or container name is not reported.",
  severity: "high",
  params: {},
  dialects: ["compose"],
  check(file) {
    const findings: Detection[] = [];
    const before = composeServices(file.before);
    const after = composeServices(file.after);
    const answered = new Set([...after.keys(), ...[...after.values()].flatMap(aliasesOf)]);
    const gone = new Set([...before.keys()].filter((name) => !answered.has(name)));
    if (gone.size === 0) return findings;
    for (const service of after.values()) {
      const reported = new Set<string>();
      for (const reference of referencesOf(service, gone)) {
        if (!gone.has(reference.to) || reported.has(reference.to)) continue;
        reported.add(reference.to);
        findings.push({
          severity: "high",
          line: reference.line,
          path: servicePath(service),
          message: `Service ${service.name} still reaches ${reference.to} through ${reference.how === "a URL" ? "a URL" : `\`${reference.how}\``}, but this change ${after.size < before.size ? "removes" : "renames or removes"} ${reference.to}: ${HOW[reference.how]}. Safe: keep the name "${reference.to}" (or add it as a network alias), or update every reference to it.`,
          before: reference.to,
          after: null,
          checklist: [
            `Update every reference to ${reference.to} in this file and in the services' configs.`,
          ],
        });
      }
    }
    return findings;
  },
});
