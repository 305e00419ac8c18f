import { describe, expect, it } from "vitest";
import { parseToml } from "../../src/formats/toml.js";
import { at, toPlain } from "../../src/formats/tree.js";

const TRAEFIK = `# Traefik dynamic configuration
[http.services.web.loadBalancer]
  passHostHeader = true
  [http.services.web.loadBalancer.healthCheck]
    path = "/health"
    interval = "10s"
  [[http.services.web.loadBalancer.servers]]
    url = "http://10.0.0.1"
  [[http.services.web.loadBalancer.servers]]
    url = "http://10.0.0.2"
`;

describe("parseToml", () => {
  it("recovers the lines of keys, tables and array-of-tables items", () => {
    const result = parseToml(TRAEFIK);
    if (!result.ok) throw new Error("parse failed");
    const lb = at(result.tree, "http", "services", "web", "loadBalancer");
    expect(at(lb, "passHostHeader")?.line).toBe(3);
    expect(at(lb, "healthCheck", "interval")?.line).toBe(6);
    expect(at(lb, "servers", "0", "url")?.line).toBe(8);
    expect(at(lb, "servers", "1", "url")?.line).toBe(10);
  });

  it("gives the same tree for dotted keys and tables", () => {
    const a = parseToml('[x]\ny.z = 1\n');
    const b = parseToml('[x.y]\nz = 1\n');
    expect(a.ok && b.ok && toPlain(a.tree)).toEqual(b.ok && toPlain(b.tree));
  });

  it("reports errors with their line", () => {
    expect(parseToml('a = 1\nb = [\n')).toMatchObject({ ok: false, problems: [{ code: "parse.failed", line: 3 }] });
  });
});
