import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";

describe("aws dialects", () => {
  it("never judges files of other dialects", () => {
    const compose = "services:\n  web:\n    image: nginx\n";
    const result = analyze([
      { path: "docker-compose.yml", before: compose, after: compose.replace("nginx", "httpd") },
    ]);
    expect(result.findings.filter((f) => f.rule.startsWith("aws."))).toEqual([]);
  });
});
