import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";
import { ingress, ingressPath, nginxAnnotation } from "./builders.js";

describe("ingress-nginx upstream-hash-by", () => {
  it("is judged by lb.stickiness.changed, not by the kubernetes family", () => {
    const found = analyze([
      {
        path: "k8s/ingress.yaml",
        before: ingress(
          ingressPath("/", "web"),
          nginxAnnotation("upstream-hash-by", "$remote_addr"),
        ),
        after: ingress(
          ingressPath("/", "web"),
          nginxAnnotation("upstream-hash-by", "$request_uri"),
        ),
      },
    ]).findings.map((finding) => finding.rule);
    expect(found).toEqual(["lb.stickiness.changed"]);
  });
});
