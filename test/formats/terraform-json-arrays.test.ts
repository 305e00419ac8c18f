// Terraform JSON may write any label level as an array of objects, and the same labels may appear
// in several of them (https://github.com/hashicorp/hcl/blob/main/json/spec.md#blocks): every block
// they declare is part of the configuration, none replaces another.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { parseSource } from "../../src/formats/index.js";
import { toPlain } from "../../src/formats/tree.js";

const tree = (path: string, source: string) => {
  const parsed = parseSource("json", source, path);
  if (!parsed.ok) throw new Error("not JSON");
  return toPlain(parsed.tree);
};

const targetGroups = (interval: number): string =>
  JSON.stringify({
    resource: [
      { aws_lb_target_group: { web: { port: 80, health_check: { interval } } } },
      { aws_lb_target_group: { api: { port: 8080 } } },
    ],
  });

describe("Terraform JSON label arrays", () => {
  it("keeps the blocks of every element that repeats a label", () => {
    expect(tree("main.tf.json", targetGroups(30))).toEqual({
      resource: {
        aws_lb_target_group: {
          web: { port: 80, health_check: { interval: 30 } },
          api: { port: 8080 },
        },
      },
    });
  });

  it("sees a change in a block an element after it repeats the type of", () => {
    const analysis = analyze([
      { path: "infra/lb.tf.json", before: targetGroups(30), after: targetGroups(5) },
    ]);
    expect(analysis.files[0]?.changes.map((change) => change.path)).toEqual([
      "resource.aws_lb_target_group.web.health_check.interval",
    ]);
  });

  it("keeps repeated blocks with the same labels as HCL does (a list of bodies)", () => {
    const providers = JSON.stringify({
      provider: [{ aws: { region: "us-east-1" } }, { aws: { alias: "west", region: "us-west-2" } }],
    });
    expect(tree("providers.tf.json", providers)).toEqual({
      provider: {
        aws: [{ region: "us-east-1" }, { alias: "west", region: "us-west-2" }],
      },
    });
    const native = parseSource(
      "hcl",
      'provider "aws" {\n  region = "us-east-1"\n}\nprovider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n',
    );
    expect(native.ok && toPlain(native.tree)).toEqual(tree("providers.tf.json", providers));
  });

  it("reads a file body written as an array of objects (a body may be one)", () => {
    const file = JSON.stringify([
      { resource: { aws_lb_target_group: { web: { port: 80 } } } },
      { resource: { aws_lb_target_group: { api: { port: 8080 } } } },
    ]);
    expect(tree("main.tf.json", file)).toEqual({
      resource: { aws_lb_target_group: { web: { port: 80 }, api: { port: 8080 } } },
    });
  });

  it("fails closed on a duplicate property: Terraform reads both definitions, the tree only one", () => {
    const group = (interval: number): string =>
      `{ "aws_lb_target_group": { "web": { "port": 80, "health_check": { "interval": ${interval} } } } }`;
    const file = (first: number): string =>
      `{\n  "resource": ${group(first)},\n  "resource": { "aws_lb_target_group": { "api": { "port": 8080 } } }\n}\n`;
    const analysis = analyze([{ path: "infra/lb.tf.json", before: file(30), after: file(5) }]);
    expect(
      analysis.findings.map((finding) => [finding.rule, finding.severity, finding.line]),
    ).toEqual([
      ["parse.failed", "medium", 3],
      ["parse.failed", "high", 3],
    ]);
    expect(analysis.findings[1]?.message).toContain("Terraform reads every definition");
    expect(analysis.risk).toBe("high");
  });
});
