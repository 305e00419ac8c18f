// A rename is judged by both of its names (docs/security.md, "A rename cannot hide a removal").
import { describe, expect, it } from "vitest";
import { infraChange } from "../../src/engine/renames.js";
import type { FileSelection } from "../../src/engine/select.js";

const selection: FileSelection = {
  include: [],
  exclude: ["legacy/**"],
  formatOverride: () => undefined,
};
const TF = 'resource "aws_lb_target_group" "web" {\n  port = 80\n}\n';
const judged = (previousPath: string, path: string, before = TF, after = TF) =>
  infraChange({ path, previousPath, status: "modified", before, after }, selection).map(
    (file) => `${file.path}:${file.status}`,
  );

describe("infraChange", () => {
  it("keeps a rename between two names of the same format as one modified file", () => {
    expect(judged("infra/a.tf", "infra/b.tf")).toEqual(["infra/b.tf:modified"]);
  });

  it("judges a rename away from infrastructure or under an excluded path as a removal", () => {
    expect(judged("infra/a.tf", "infra/a.tf.bak")).toEqual(["infra/a.tf:removed"]);
    expect(judged("infra/a.tf", "legacy/a.tf")).toEqual(["infra/a.tf:removed"]);
  });

  it("judges a rename into infrastructure as an addition", () => {
    expect(judged("infra/a.tf.off", "infra/a.tf")).toEqual(["infra/a.tf:added"]);
  });

  it("judges a rename to another format's name as the old file removed and the new one added", () => {
    expect(judged("infra/lb.tf", "infra/lb.tf.json")).toEqual([
      "infra/lb.tf:removed",
      "infra/lb.tf.json:added",
    ]);
  });

  it("leaves a file that is infrastructure under neither name alone", () => {
    expect(judged("docs/a.md", "docs/b.md", "# a\n", "# b\n")).toEqual([]);
  });
});
