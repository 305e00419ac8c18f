import { describe, expect, it } from "vitest";
import { diffTrees } from "../../src/diff/semantic-diff.js";
import { tree } from "../helpers.js";

const yaml = (source: string) => tree("yaml", source);

describe("diffTrees", () => {
  it("reports nothing for reordered keys, reformatting and comments", () => {
    const before = yaml("a: 1\nb:\n  c: [1, 2]\n  d: x\n");
    const after = yaml("# comment\nb:\n  d: x   # trailing\n  c:\n    - 1\n    - 2\na: 1\n");
    expect(diffTrees(before, after)).toEqual([]);
  });

  it("compares typed values: the string 80 differs from the number 80", () => {
    const changes = diffTrees(yaml("port: 80\n"), yaml('port: "80"\n'));
    expect(changes).toMatchObject([{ kind: "modified", path: "port", before: 80, after: "80", beforeLine: 1, afterLine: 1 }]);
  });

  it("matches list items by identity, so a reorder is no change and paths name the item", () => {
    const before = yaml(
      "spec:\n  containers:\n    - name: web\n      readinessProbe: { periodSeconds: 10 }\n    - name: sidecar\n      image: s:1\n",
    );
    const after = yaml(
      "spec:\n  containers:\n    - name: sidecar\n      image: s:1\n    - name: web\n      readinessProbe: { periodSeconds: 2 }\n",
    );
    expect(diffTrees(before, after)).toMatchObject([
      {
        kind: "modified",
        path: "spec.containers[name=web].readinessProbe.periodSeconds",
        before: 10,
        after: 2,
        beforeLine: 4,
        afterLine: 6,
      },
    ]);
  });

  it("reports an item added and one removed by identity, not as a modification by position", () => {
    const changes = diffTrees(yaml("l:\n  - name: a\n  - name: b\n"), yaml("l:\n  - name: b\n  - name: c\n"));
    expect(changes.map((c) => `${c.kind} ${c.path}`)).toEqual(["added l[name=c]", "removed l[name=a]"]);
  });

  it("names Kubernetes documents by kind and name", () => {
    const before = yaml("kind: Service\napiVersion: v1\nmetadata: { name: web }\nspec: { sessionAffinity: ClientIP }\n---\nkind: Deployment\napiVersion: apps/v1\nmetadata: { name: web }\n");
    const after = yaml("kind: Deployment\napiVersion: apps/v1\nmetadata: { name: web }\n---\nkind: Service\napiVersion: v1\nmetadata: { name: web }\nspec: { sessionAffinity: None }\n");
    expect(diffTrees(before, after)).toMatchObject([{ path: "[Service/web].spec.sessionAffinity", before: "ClientIP", after: "None" }]);
  });

  it("matches unnamed items by content first, then by position", () => {
    expect(diffTrees(yaml("l: [a, b, c]\n"), yaml("l: [c, a, b]\n"))).toEqual([]);
    expect(diffTrees(yaml("l: [a, b]\n"), yaml("l: [a, x]\n"))).toMatchObject([{ kind: "modified", path: "l[1]", before: "b", after: "x" }]);
  });

  it("quotes keys that contain dots", () => {
    const changes = diffTrees(
      yaml("metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/affinity: cookie\n"),
      yaml("metadata:\n  annotations: {}\n"),
    );
    expect(changes[0]?.path).toBe('metadata.annotations["nginx.ingress.kubernetes.io/affinity"]');
  });

  it("reports every top-level entry of an added or deleted file", () => {
    expect(diffTrees(null, yaml("a: 1\nb: 2\n")).map((c) => `${c.kind} ${c.path}`)).toEqual(["added a", "added b"]);
    expect(diffTrees(yaml("a: 1\n"), null)).toMatchObject([{ kind: "removed", path: "a", before: 1, beforeLine: 1 }]);
    expect(diffTrees(null, null)).toEqual([]);
  });

  it("treats a block written once (map) and twice (list) as a list of items", () => {
    const changes = diffTrees(tree("hcl", 'ingress {\n  port = 80\n}\n'), tree("hcl", 'ingress {\n  port = 80\n}\ningress {\n  port = 443\n}\n'));
    expect(changes).toMatchObject([{ kind: "added", after: { port: 443 } }]);
  });

  it("reports a type change (map to scalar) as one modification", () => {
    expect(diffTrees(yaml("a: { b: 1 }\n"), yaml("a: 5\n"))).toMatchObject([{ kind: "modified", path: "a", before: { b: 1 }, after: 5 }]);
  });
});
