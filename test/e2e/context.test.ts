/**
 * Cross-file context through the real App and the emulator (issue 11): a pull request relabels a
 * Deployment while the Service beside it, unchanged, still selects the old label. The App loads
 * the Service as context (same directory, at the head), the snapshot carries it, and the check
 * reports the Service that no longer reaches the pods; over GraphQL and the REST fallback.
 */
import { describe, expect, it } from "vitest";
import { readRoundTripsBeforeFirstWrite } from "../../bench/round-trips.js";
import { check, loaders, openPull, seedRepo, useStack } from "./fixture.js";

const stack = useStack();

const deployment = (app: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: web\n          image: web:1\n          ports:\n            - containerPort: 8080\n`;
const SERVICE = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n`;

describe.each(loaders(stack))(
  "the unchanged Service beside a changed Deployment ($via)",
  ({ setUp }) => {
    it("is in the snapshot's context, and the check reports the Service no longer selecting the pods", async () => {
      setUp();
      const repo = seedRepo(
        stack(),
        { "k8s/deployment.yaml": deployment("web-v2") },
        { "k8s/deployment.yaml": deployment("web"), "k8s/service.yaml": SERVICE },
      );
      const number = await openPull(stack(), repo);
      const { run } = check(stack(), repo, number);
      expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(run!.output.annotations).toContainEqual(
        expect.objectContaining({
          path: "k8s/deployment.yaml",
          title: "critical: cross.service.workload-mismatch",
          message: expect.stringContaining("Service web (k8s/service.yaml) selects app=web"),
        }),
      );

      await stack().github.comment(repo, number, "/changegate explain", "carol");
      await stack().idle();
      const explain = stack()
        .github.comments(repo, number)
        .find((comment) => comment.body.startsWith("### Changegate: explanation"));
      expect(explain?.body).toContain('"path": "k8s/service.yaml"');
      expect(explain?.body).toContain('"context"');
    });

    it("leaves out a Service in another directory: no context, nothing reported", async () => {
      setUp();
      const repo = seedRepo(
        stack(),
        { "k8s/deployment.yaml": deployment("web-v2") },
        { "k8s/deployment.yaml": deployment("web"), "services/service.yaml": SERVICE },
      );
      const number = await openPull(stack(), repo);
      const { run } = check(stack(), repo, number);
      expect(run).toMatchObject({ status: "completed" });
      expect(run!.output.text ?? "").not.toContain("cross.service.workload-mismatch");
    });
  },
);

describe("loading the context costs no sequential round trip", () => {
  it("the same read round trips before the first write with and without files beside the change", async () => {
    stack().github.injectFault({ path: /.*/, delayMs: 30, times: Number.MAX_SAFE_INTEGER });
    const trips = async (base: Record<string, string>): Promise<number> => {
      const repo = seedRepo(stack(), { "k8s/deployment.yaml": deployment("web-v2") }, base);
      const mark = stack().github.mark();
      await openPull(stack(), repo);
      return readRoundTripsBeforeFirstWrite(stack().github.since(mark));
    };
    await trips({}); // warm-up: the App's token, GraphQL's schema
    const alone = await trips({ "k8s/deployment.yaml": deployment("web") });
    const beside = await trips({
      "k8s/deployment.yaml": deployment("web"),
      "k8s/service.yaml": SERVICE,
      "k8s/ingress.yaml": SERVICE.replace("Service", "ConfigMap"),
    });
    // Round trip 1 (the pull request, its files, the event's check run), 2 (texts and
    // directories, merge base, pushes, the open pull requests with this one's head).
    expect({ alone, beside }).toEqual({ alone: 2, beside: 2 });
  });
});
