/**
 * A rename is judged by both of its names (issue 10, item 1): `infra/lb.tf` renamed to a name
 * that is no longer infrastructure, or moved under a path the policy excludes, removes everything
 * it held. Through the real App and the emulator, over GraphQL and over the REST fallback.
 */
import { describe, expect, it } from "vitest";
import {
  AFTER,
  BEFORE,
  check,
  failGraphql,
  openPull,
  seedRepo,
  sticky,
  useStack,
} from "./fixture.js";

const stack = useStack();

async function listedFiles(repo: string, number: number): Promise<unknown[]> {
  const response = await fetch(`${stack().github.url}/repos/${repo}/pulls/${number}/files`, {
    headers: { authorization: `token ${stack().github.userToken("alice")}` },
  });
  return (await response.json()) as unknown[];
}

const EXCLUDE_LEGACY = "files:\n  exclude:\n    - legacy/**\n";

const cases: {
  name: string;
  files: Record<string, string | null>;
  base: Record<string, string>;
}[] = [
  {
    name: "renamed to a name that is not infrastructure (lb.tf → lb.tf.bak)",
    files: { "infra/lb.tf": null, "infra/lb.tf.bak": BEFORE },
    base: {},
  },
  {
    name: "moved under a path the policy excludes",
    files: { "infra/lb.tf": null, "legacy/lb.tf": BEFORE },
    base: { ".github/changegate.yml": EXCLUDE_LEGACY },
  },
];

describe("a rename away from infrastructure is the removal of the old file", () => {
  for (const via of ["graphql", "rest"] as const)
    it.each(cases)(`$name (${via})`, async ({ files, base }) => {
      const repo = seedRepo(stack(), files, base);
      // The REST loader answers when GraphQL fails.
      if (via === "rest") failGraphql(stack());
      const number = await openPull(stack(), repo);
      // The emulator lists it as a rename, as GitHub does.
      expect(await listedFiles(repo, number)).toContainEqual(
        expect.objectContaining({ status: "renamed", previous_filename: "infra/lb.tf" }),
      );
      const { run } = check(stack(), repo, number);
      expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
      // Removing the load balancer's target group and its health check is high risk.
      expect(run!.output.title).toBe(
        "High risk — 0 of 2 approvals, test plan missing, rollback plan missing",
      );
      const comment = sticky(stack(), repo, number)[0]?.body ?? "";
      expect(comment).toContain("infra/lb.tf");
    });

  it("a rename between two infrastructure names is still compared with the old text", async () => {
    const repo = seedRepo(stack(), { "infra/lb.tf": null, "infra/alb.tf": AFTER });
    const number = await openPull(stack(), repo);
    const { run } = check(stack(), repo, number);
    expect(run!.output.title).toBe(
      "High risk — 0 of 2 approvals, test plan missing, rollback plan missing",
    );
    // The findings of the edit itself (as for infra/lb.tf edited in place), not of a new file.
    expect(
      run!.output.annotations.map((a: { path: string; start_line: number }) => [
        a.path,
        a.start_line,
      ]),
    ).toEqual([
      ["infra/alb.tf", 11],
      ["infra/alb.tf", 20],
    ]);
  });
});
