// The unit view (src/engine/units.ts): what it keeps, what it leaves out, and that reading a file
// through it changes no finding.
import { describe, expect, it } from "vitest";
import { PAIRS, type BenchFormat } from "../../bench/engine-fixtures.js";
import { diffTrees } from "../../src/diff/semantic-diff.js";
import { analyze, type FileInput } from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS } from "../../src/engine/settings.js";
import { unitView, UNIT_VIEW_MIN_BYTES } from "../../src/engine/units.js";
import { detectDialect } from "../../src/formats/dialect.js";
import { parseSource } from "../../src/formats/index.js";
import { at, itemsOf, scalarAt, type TreeNode } from "../../src/formats/tree.js";
import type { Format } from "../../src/formats/types.js";
import type { FileUnderReview } from "../../src/rules/types.js";

function fileOf(format: Format, path: string, before: string, after: string): FileUnderReview {
  const parse = (text: string): TreeNode => {
    const parsed = parseSource(format, text, path);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.tree;
  };
  const beforeTree = parse(before);
  const afterTree = parse(after);
  const dialect = detectDialect(path, format, afterTree);
  return {
    path,
    format,
    dialect,
    status: "modified",
    before: beforeTree,
    after: afterTree,
    changes: diffTrees(beforeTree, afterTree, dialect),
  };
}

const keysAt = (tree: TreeNode | null, ...path: string[]): string[] => {
  const node = at(tree, ...path);
  return node?.kind === "map" ? [...node.entries.keys()] : [];
};

/** Findings with every file read whole, and with every file read through its unit view. */
function bothWays(inputs: FileInput[]): { whole: unknown; viewed: unknown } {
  return {
    whole: analyze(inputs, { ...DEFAULT_SETTINGS, unitViewMinBytes: Infinity }).findings,
    viewed: analyze(inputs, {
      ...DEFAULT_SETTINGS,
      unitViewMinBytes: 0,
      maxFileBytes: 8 * 1_048_576,
    }).findings,
  };
}

const haproxy = (inter: (i: number) => string, without?: number): string => {
  const backends = Array.from({ length: 30 }, (_, i) => i).filter((i) => i !== without);
  return [
    "defaults",
    "  mode http",
    "  timeout server 30s",
    "frontend www",
    "  bind :80",
    ...backends.map((i) => `  use_backend app-${i}x if { path_beg /${i}/ }`),
    ...backends.flatMap((i) => [
      `backend app-${i}x`,
      "  balance roundrobin",
      `  server s1 10.0.${i}.1:80 check inter ${inter(i)}`,
      `  server s2 10.0.${i}.2:80 check inter ${inter(i)}`,
    ]),
    "",
  ].join("\n");
};

describe("unitView", () => {
  it("keeps the changed backend, the frontend that routes to it and the defaults, and nothing else", () => {
    const file = fileOf(
      "haproxy",
      "haproxy.cfg",
      haproxy(() => "3s"),
      haproxy((i) => (i === 7 ? "1s" : "3s")),
    );
    const view = unitView(file, 1, 0);
    for (const side of ["before", "after"] as const) {
      expect(keysAt(view[side], "backend")).toEqual(["app-7x"]);
      expect(keysAt(view[side], "frontend")).toEqual(["www"]);
      expect(at(view[side], "defaults")).toBe(at(file[side], "defaults"));
    }
    expect(at(view.after, "backend", "app-7x")).toBe(at(file.after, "backend", "app-7x"));
    expect(view.changes).toBe(file.changes);
    expect(keysAt(file.after, "backend")).toHaveLength(30);
  });

  it("reads the whole file when a change is outside every unit, or the file is small", () => {
    const before = haproxy(() => "3s");
    const defaults = fileOf("haproxy", "haproxy.cfg", before, before.replace("30s", "5s"));
    expect(unitView(defaults, 1, 0)).toBe(defaults);
    const backend = fileOf(
      "haproxy",
      "haproxy.cfg",
      before,
      before.replace("inter 3s", "inter 1s"),
    );
    expect(unitView(backend, UNIT_VIEW_MIN_BYTES - 1)).toBe(backend);
    expect(unitView(backend, UNIT_VIEW_MIN_BYTES)).not.toBe(backend);
  });

  it("keeps the Deployments a changed Service selects, before and after, not those it never did", () => {
    const deployment = (name: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels: {tier: backend}\nspec:\n  selector:\n    matchLabels: {app: ${name}-pods}\n  template:\n    metadata:\n      labels: {app: ${name}-pods, tier: backend}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n`;
    const service = (selects: string): string =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: front\nspec:\n  selector: {app: ${selects}}\n  ports:\n    - port: 80\n`;
    const manifest = (selects: string): string =>
      [service(selects), ...["alpha", "bravo", "charlie", "delta"].map(deployment)].join("---\n");
    const file = fileOf("yaml", "k8s/all.yaml", manifest("alpha-pods"), manifest("bravo-pods"));
    const names = (tree: TreeNode | null): unknown[] =>
      itemsOf(tree).map((doc) => scalarAt(doc, "metadata", "name"));
    const view = unitView(file, 1, 0);
    expect(names(view.after)).toEqual(["front", "alpha", "bravo"]);
    expect(names(view.before)).toEqual(["front", "alpha", "bravo"]);
  });

  it("keeps the target group a changed listener forwards to", () => {
    const terraform = (port: number): string =>
      [
        ...Array.from(
          { length: 12 },
          (_, i) => `resource "aws_lb_target_group" "tg${i}x" {\n  port = 80\n}\n`,
        ),
        `resource "aws_lb_listener" "web" {\n  port = ${port}\n  default_action {\n    type = "forward"\n    target_group_arn = aws_lb_target_group.tg3x.arn\n  }\n}\n`,
      ].join("\n");
    const file = fileOf("hcl", "lb.tf", terraform(80), terraform(8080));
    const view = unitView(file, 1, 0);
    expect(keysAt(view.after, "resource", "aws_lb_target_group")).toEqual(["tg3x"]);
    expect(keysAt(view.after, "resource", "aws_lb_listener")).toEqual(["web"]);
  });

  it("keeps the nginx servers that proxy to a changed upstream, named by server_name", () => {
    const nginx = (failTimeout: string): string =>
      `http {\n  upstream api { server 10.0.0.1:80 fail_timeout=${failTimeout}; }\n  upstream web { server 10.0.0.2:80; }\n  server { listen 80; server_name api.example.com; location / { proxy_pass http://api; } }\n  server { listen 80; server_name www.example.com; location / { proxy_pass http://web; } }\n}\n`;
    const file = fileOf("nginx", "nginx.conf", nginx("10s"), nginx("30s"));
    const view = unitView(file, 1, 0);
    expect(keysAt(view.after, "http", "upstream")).toEqual(["api"]);
    expect(
      itemsOf(at(view.after, "http", "server")).map((s) => scalarAt(s, "server_name")),
    ).toEqual(["api.example.com"]);
  });

  it("reads the whole file for a list whose items have no identity", () => {
    const yaml = (period: number): string =>
      Array.from({ length: 5 }, (_, i) => `kind: Thing\nvalue: ${i === 2 ? period : i}\n`).join(
        "---\n",
      );
    const file = fileOf("yaml", "things.yaml", yaml(1), yaml(9));
    expect(unitView(file, 1, 0)).toBe(file);
  });
});

describe("the unit view changes no finding", () => {
  it("finds a removed backend the frontend still routes to", () => {
    const { whole, viewed } = bothWays([
      { path: "haproxy.cfg", before: haproxy(() => "3s"), after: haproxy(() => "3s", 7) },
    ]);
    expect(JSON.stringify(whole)).toContain("app-7x");
    expect(viewed).toEqual(whole);
  });

  it("keeps every frontend when one is removed: the last one left is judged by their number", () => {
    const before = haproxy(() => "3s").replace(
      "frontend www",
      "frontend admin\n  bind :9000\n  default_backend app-1x\nfrontend www",
    );
    const after = haproxy(() => "3s");
    const view = unitView(fileOf("haproxy", "haproxy.cfg", before, after), 1, 0);
    expect(keysAt(view.before, "frontend")).toEqual(["admin", "www"]);
    const { whole, viewed } = bothWays([{ path: "haproxy.cfg", before, after }]);
    expect(whole).toEqual([
      expect.objectContaining({ rule: "generic.lb-resource.deleted", severity: "high" }),
    ]);
    expect(viewed).toEqual(whole);
  });

  it("names an nginx server by its place in the file's list of servers", () => {
    const nginx = (timeout: string): string =>
      `http {\n${["a", "b", "c"].map((name) => `  server { listen 80; server_name ${name}.example.com; location / { proxy_pass http://10.0.0.1; proxy_read_timeout ${name === "c" ? timeout : "30s"}; } }\n`).join("")}}\n`;
    const { whole, viewed } = bothWays([
      { path: "nginx.conf", before: nginx("30s"), after: nginx("5s") },
    ]);
    expect(JSON.stringify(whole)).toContain(
      '"path":"http.server[2].location./.proxy_read_timeout"',
    );
    expect(viewed).toEqual(whole);
  });

  it("finds an nginx upstream server removed", () => {
    const nginx = (servers: string): string =>
      `http {\n  upstream api { ${servers} }\n  upstream web { server 10.0.0.9:80; }\n  server { listen 80; server_name api.example.com; location / { proxy_pass http://api; } }\n  server { listen 80; server_name www.example.com; location / { proxy_pass http://web; } }\n}\n`;
    const { whole, viewed } = bothWays([
      {
        path: "nginx.conf",
        before: nginx("server 10.0.0.1:80; server 10.0.0.2:80;"),
        after: nginx("server 10.0.0.1:80;"),
      },
    ]);
    expect(JSON.stringify(whole)).toContain("10.0.0.2:80");
    expect(viewed).toEqual(whole);
  });

  // nginx is left out: its pair has no finding at this size.
  it.each<BenchFormat>(["yaml", "hcl", "haproxy"])("on the benchmark's %s pair", (format) => {
    const pair = PAIRS[format](150_000);
    const { whole, viewed } = bothWays([
      { path: pair.path, before: pair.before, after: pair.after },
    ]);
    expect((whole as unknown[]).length).toBeGreaterThan(0);
    expect(viewed).toEqual(whole);
  });
});
