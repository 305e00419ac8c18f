import { defineRule, type Detection } from "../types.js";
import { directiveEdits } from "../model/nginx/directive-edits.js";

const DIRECTIVES = ["proxy_pass", "grpc_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass"];

// Variables a client sets directly: query arguments, request headers and cookies
// (nginx ngx_http_core_module "Embedded variables"; docs/lb-facts.md §P2).
const CLIENT_VARIABLE = /\$\{?(arg_\w+|http_\w+|cookie_\w+)\b/;

/** The host (and port) part of a pass target: what nginx connects to. */
function hostOf(target: string): string {
  const withoutScheme = target.replace(/^[a-z]+:\/\//i, "");
  const slash = withoutScheme.indexOf("/");
  return slash === -1 ? withoutScheme : withoutScheme.slice(0, slash);
}

const clientHost = (value: unknown): string | undefined => {
  if (typeof value !== "string") return undefined;
  const target = value.trim().split(/\s+/)[0] ?? "";
  return CLIENT_VARIABLE.exec(hostOf(target))?.[0];
};

/**
 * A pass whose host is a client-controlled variable makes nginx an open proxy: any client picks the address
 * nginx connects to, internal services and cloud metadata endpoints included (server-side request forgery).
 */
export default defineRule({
  id: "nginx.proxy-pass.client-chosen-host",
  family: "nginx",
  title: "Upstream address chosen by the client",
  description:
    "`proxy_pass` (or grpc_/fastcgi_/uwsgi_/scgi_pass) takes its host from a variable the client controls " +
    "(`$arg_*`, `$http_*`, `$cookie_*`): nginx connects wherever the request says, an open " +
    "proxy into the internal network (SSRF). High for a new or changed pass; a host from `map` or a named " +
    "upstream is not reported.",
  severity: "high",
  params: {},
  dialects: ["nginx"],
  check(file) {
    const findings: Detection[] = [];
    for (const { after, name, own, ownBefore, path } of directiveEdits(file, DIRECTIVES)) {
      const variable = clientHost(own?.value);
      if (!own || !variable || clientHost(ownBefore?.value)) continue;
      findings.push({
        severity: "high",
        line: own.line,
        path,
        message:
          `${name} in ${after.label} connects to the host named by ${variable} (${String(own.value)}): any client ` +
          `chooses the address nginx connects to, internal services and metadata endpoints included (an open proxy). ` +
          `Safe: pass to a named upstream, or \`map ${variable} $backend { default ""; "a" 10.0.0.1; }\` with only the hosts allowed.`,
        before: ownBefore ? String(ownBefore.value) : null,
        after: String(own.value),
        checklist: [
          `Confirm ${after.label} is not reachable by untrusted clients, or restrict ${variable} to a fixed list of hosts.`,
        ],
      });
    }
    return findings;
  },
});
