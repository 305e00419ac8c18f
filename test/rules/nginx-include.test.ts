import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";

const fired = (before: string, after: string) =>
  analyze([{ path: "nginx.conf", before, after }])
    .findings.filter((finding) => finding.rule === "nginx.include.unseen")
    .map((finding) => `${finding.severity}@${finding.line}`);

const conf = (server: string) => `http {
    include mime.types;
    server {
        listen 80;
${server}
    }
}
`;

describe("nginx.include.unseen", () => {
  it("fires (medium) when an include is added", () => {
    expect(fired(conf(""), conf("        include conf.d/proxy.conf;"))).toEqual(["medium@5"]);
  });
  it("fires (low) when the change edits a block that includes another file", () => {
    expect(
      fired(
        conf("        include snippets/tls.conf;\n        client_max_body_size 1m;"),
        conf("        include snippets/tls.conf;\n        client_max_body_size 8m;"),
      ),
    ).toEqual(["low@5"]);
  });
  it("does not fire for an unrelated change or a reformatted file", () => {
    expect(
      fired(
        conf("        include snippets/tls.conf;"),
        conf("        include   snippets/tls.conf;   # same"),
      ),
    ).toEqual([]);
    expect(fired(conf("        server_name a;"), conf("        server_name b;"))).toEqual([]);
  });
});
