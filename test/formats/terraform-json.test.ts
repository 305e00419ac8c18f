// Terraform JSON (`*.tf.json`) and variable values (`*.tfvars`, `*.tfvars.json`) are Terraform: the
// same rules fire on a configuration whichever syntax it is written in, and a changed value that
// modules read is reported.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, type Analysis } from "../../src/engine/analyze.js";
import { isInfraFile } from "../../src/engine/select.js";
import { parseSource } from "../../src/formats/index.js";
import { toPlain } from "../../src/formats/tree.js";
import { corpusDir, hasCorpus } from "../helpers.js";

const selection = { include: [], exclude: [], formatOverride: () => undefined };

/** The same configuration in Terraform's JSON syntax (what `hcl2json` writes). */
function asJson(hcl: string | null): string | null {
  if (hcl === null) return null;
  const parsed = parseSource("hcl", hcl);
  if (!parsed.ok) throw new Error(`not HCL: ${JSON.stringify(parsed.problems)}`);
  return `${JSON.stringify(toPlain(parsed.tree), null, 2)}\n`;
}

/**
 * What the rules found, without lines (the JSON file is laid out differently) and without the
 * parser's own findings (a duplicate key in HCL is already resolved in its JSON twin).
 */
const fired = (analysis: Analysis): string[] =>
  analysis.findings
    .filter((finding) => !finding.rule.startsWith("parse."))
    .map((finding) => `${finding.rule} ${finding.severity}`)
    .sort();

const targetGroup = (interval: number, threshold: number, stickiness: boolean): string => `
resource "aws_lb_target_group" "web" {
  name     = "web-\${var.env}"
  port     = 80
  protocol = "HTTP"
  vpc_id   = var.vpc_id
  deregistration_delay = 300
  health_check {
    path                = "/healthz"
    interval            = ${interval}
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = ${threshold}
  }
  stickiness {
    type    = "lb_cookie"
    enabled = ${stickiness}
  }
}

resource "google_compute_health_check" "web" {
  name                = "web"
  check_interval_sec  = ${interval}
  timeout_sec         = 5
  unhealthy_threshold = ${threshold}
  http_health_check {
    port = 80
  }
}
`;

describe("Terraform JSON", () => {
  it("fires the rules a .tf file fires, on the same change", () => {
    const before = targetGroup(30, 3, true);
    const after = targetGroup(5, 1, false);
    const native = analyze([{ path: "infra/lb.tf", before, after }]);
    const json = analyze([
      { path: "infra/lb.tf.json", before: asJson(before), after: asJson(after) },
    ]);
    expect(fired(native).length).toBeGreaterThan(2);
    expect(fired(json)).toEqual(fired(native));
    expect(json.files[0]?.dialect).toBe("terraform");
    expect(json.risk).toBe(native.risk);
  });

  it("reads comments, one-element block arrays and interpolations as Terraform does", () => {
    const file = (interval: number): string => `{
  "//": "The web tier's target group",
  "resource": {
    "aws_lb_target_group": {
      "web": [{
        "//": "health check tuned for slow starts",
        "name": "\${var.env}-web",
        "port": 80,
        "protocol": "HTTP",
        "vpc_id": "\${var.vpc_id}",
        "health_check": [{
          "interval": ${interval},
          "timeout": 5,
          "unhealthy_threshold": 2
        }]
      }]
    }
  }
}
`;
    const analysis = analyze([{ path: "lb.tf.json", before: file(30), after: file(5) }]);
    const finding = analysis.findings.find((f) => f.rule === "lb.health-check.detection-too-fast");
    expect(finding, JSON.stringify(analysis.findings)).toBeDefined();
    expect(finding?.line).toBe(12);
    // A comment or a reformatting is not a change.
    const reformatted = file(30)
      .replace(/\n\s*/g, " ")
      .replace('"health check tuned for slow starts"', '"x"');
    expect(
      analyze([{ path: "lb.tf.json", before: file(30), after: reformatted }]).files[0]?.changes,
    ).toEqual([]);
  });

  it.each([["stack.tf.json"], ["env/prod.tfvars.json"], ["env/prod.tfvars"]])(
    "%s is infrastructure by its name",
    (path) => {
      expect(isInfraFile(path, "", selection)).toBe(true);
      expect(isInfraFile(path, "{}", selection)).toBe(true);
    },
  );

  it.runIf(hasCorpus)("agrees with native syntax on every Terraform change of the corpus", () => {
    const root = join(corpusDir, "hcl");
    let compared = 0;
    for (const folder of readdirSync(root).filter((name) => /^\d+-/.test(name))) {
      const read = (side: string): string | null => {
        const found = readdirSync(join(root, folder)).find((name) => name.startsWith(`${side}.`));
        return found && existsSync(join(root, folder, found))
          ? readFileSync(join(root, folder, found), "utf8")
          : null;
      };
      const before = read("before");
      const after = read("after");
      if (after === null || !after.trim() || !parseSource("hcl", after).ok) continue;
      if (before !== null && !parseSource("hcl", before).ok) continue;
      const native = analyze([{ path: "main.tf", before, after }]);
      const json = analyze([
        { path: "main.tf.json", before: asJson(before), after: asJson(after) },
      ]);
      expect(fired(json), folder).toEqual(fired(native));
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });
});

describe("Terraform variable values", () => {
  const tfvars = (interval: number, extra = ""): string =>
    `env = "prod"\nhealth_check_interval = ${interval}\ninstance_count = 6\n${extra}`;

  it("reports each changed value at medium, on its line", () => {
    const analysis = analyze([
      { path: "env/prod.tfvars", before: tfvars(30), after: tfvars(5, 'cidr = "0.0.0.0/0"\n') },
    ]);
    const findings = analysis.findings.filter((f) => f.rule === "terraform.variable-value.changed");
    expect(findings.map((f) => [f.path, f.line, f.severity])).toEqual([
      ["health_check_interval", 2, "medium"],
      ["cidr", 4, "medium"],
    ]);
    expect(findings[0]?.message).toContain("var.health_check_interval changes from 30 to 5");
    expect(analysis.risk).toBe("medium");
  });

  it("reads *.tfvars.json alike, and a reformatting is no change", () => {
    const before = '{ "health_check_interval": 30, "instance_count": 6 }\n';
    const after = '{\n  "instance_count": 6,\n  "health_check_interval": 10\n}\n';
    const analysis = analyze([{ path: "prod.tfvars.json", before, after }]);
    expect(analysis.files[0]?.dialect).toBe("terraform");
    expect(analysis.findings.map((f) => [f.rule, f.path, f.line])).toEqual([
      ["terraform.variable-value.changed", "health_check_interval", 3],
    ]);
    const reordered = '{"instance_count":6,"health_check_interval":30}';
    expect(analyze([{ path: "prod.tfvars.json", before, after: reordered }]).findings).toEqual([]);
  });

  it("reports a removed value: the variable's default applies instead", () => {
    const analysis = analyze([
      { path: "prod.auto.tfvars", before: tfvars(30), after: 'env = "prod"\ninstance_count = 6\n' },
    ]);
    expect(analysis.findings.map((f) => [f.path, f.line])).toEqual([["health_check_interval", 2]]);
    expect(analysis.findings[0]?.message).toContain("default applies");
  });

  it("does not fire on a Terraform configuration file", () => {
    const analysis = analyze([
      { path: "variables.tf", before: "locals {\n  a = 1\n}\n", after: "locals {\n  a = 2\n}\n" },
    ]);
    expect(analysis.findings.filter((f) => f.rule === "terraform.variable-value.changed")).toEqual(
      [],
    );
  });
});
