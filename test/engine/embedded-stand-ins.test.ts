// A string of the file that looks like a stand-in (a JSON `\u0000` escape) neither passes for an
// embedded config nor turns the reading of embedded configs off: the stand-ins are chosen so that
// no string of either side starts like them.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";

const conf = (timeout: string): string =>
  `events {}\nhttp {\n  server {\n    listen 80;\n    location / {\n      proxy_pass http://app;\n      proxy_read_timeout ${timeout};\n    }\n  }\n}\n`;

const configMap = (timeout: string, note: string): string =>
  JSON.stringify(
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "edge", annotations: { note } },
      data: { "nginx.conf": conf(timeout) },
    },
    null,
    2,
  );

describe("stand-ins", () => {
  it("a string shaped like one elsewhere in the file does not stop the embedded config from being judged", () => {
    const forged = "\u0000embedded-config-1";
    const analysis = analyze([
      { path: "k8s/edge.json", before: configMap("60s", forged), after: configMap("2s", forged) },
    ]);
    expect(analysis.findings.map((finding) => finding.rule)).toContain("nginx.proxy-timeout.cut");
    expect(analysis.files[0]?.changes.map((change) => change.path)).toEqual([
      'data["nginx.conf"].http.server.location./.proxy_read_timeout',
    ]);
  });

  it("nor does one with more NULs after the prefix, on either side", () => {
    const analysis = analyze([
      {
        path: "k8s/edge.json",
        before: configMap("60s", "\u0000embedded-config-\u0000"),
        after: configMap("2s", "\u0000embedded-config-\u0000\u00001"),
      },
    ]);
    expect(analysis.findings.map((finding) => finding.rule)).toContain("nginx.proxy-timeout.cut");
  });
});
