import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { LocalStack } from "../../tools/demo/stack.js";
import { describeError } from "../../src/github/client.js";
import { check, openPull, seedRepo, useStack } from "../e2e/fixture.js";

// The private key, the webhook secret, the App's JWTs and installation tokens never appear in
// logs, in check runs or in comments, even when GitHub's error messages echo them.

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString("utf8"));
    done();
  },
});
// Probot accepts its logger: everything it and the App log, down to each request, lands here.
const stack = useStack({
  inProgressAfterMs: 0,
  log: pino({ level: "trace" }, sink),
  requests: { timeoutMs: 300, deadlineMs: 10_000 },
});

function secretsOf(local: LocalStack): string[] {
  const { privateKey, secret } = local.github.appCredentials();
  const keyLines = privateKey
    .split("\n")
    .filter((line) => line.length >= 20 && !line.startsWith("-----"));
  const tokens = [...local.github.state.tokens.keys()].filter((token) => token.startsWith("ghs_"));
  expect(tokens.length).toBeGreaterThan(0); // the App did authenticate
  return [privateKey, ...keyLines, secret, ...tokens];
}

describe("secrets", () => {
  it("stay out of the logs, the check runs and the comments through a run with faults", async () => {
    // A first evaluation: the App gets an installation token.
    await openPull(stack(), seedRepo(stack()));
    const token = [...stack().github.state.tokens.keys()].find((t) => t.startsWith("ghs_"))!;
    const { privateKey } = stack().github.appCredentials();
    const jwtLike = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEsImV4cCI6MX0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    // GitHub answers with messages that echo credentials (a proxy, a misbehaving server).
    const echo = `Bad credentials: token ${token} / bearer ${jwtLike}\n${privateKey}`;

    const repos = [seedRepo(stack()), seedRepo(stack()), seedRepo(stack()), seedRepo(stack())];
    stack().github.injectFault({
      path: new RegExp(`^/repos/${repos[0]}/compare/`),
      status: 502,
      body: { message: echo },
      times: Infinity,
    });
    stack().github.injectFault({
      path: new RegExp(`^/repos/${repos[1]}/compare/`),
      delayMs: 1_000,
      times: Infinity,
    });
    stack().github.injectFault({
      operationId: "checks/update",
      status: 422,
      body: { message: echo, errors: [{ message: echo }] },
      times: 2,
    });
    for (const repo of repos.slice(0, 3)) await openPull(stack(), repo);
    stack().github.clearFaults();
    const number = await openPull(stack(), repos[3]!);
    // A delivery signed with the wrong secret, and a command from a reader.
    await stack().github.deliverRaw(JSON.stringify({ action: "opened" }), {
      "x-github-event": "pull_request",
      "x-hub-signature-256": "sha256=" + "0".repeat(64),
    });
    await stack().github.comment(repos[3]!, number, "/changegate recheck", "rita");
    await stack().idle();

    const failed = repos
      .slice(0, 3)
      .map((repo) => check(stack(), repo, 1).run!)
      .filter((run) => run.output.title === "Changegate could not evaluate this pull request");
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.map((run) => run.output.summary).join("\n")).toContain("[redacted]");

    const logs = lines.join("");
    expect(logs).toContain("evaluation failed; check fails closed"); // the capture works
    expect(logs).toContain("GitHub request"); // down to each request (trace level)
    const published = [...stack().github.state.repos.values()].flatMap((repo) => [
      ...[...repo.checkRuns.values()].map((run) => JSON.stringify(run.output)),
      ...[...repo.comments.values()].map((comment) => comment.body),
    ]);
    for (const text of [logs, ...published]) {
      for (const secret of secretsOf(stack())) expect(text.includes(secret)).toBe(false);
      expect(text).not.toMatch(JWT);
    }
  });
});

describe("describeError", () => {
  it("redacts tokens, JWTs and private keys, and keeps one line", () => {
    const error = Object.assign(
      new Error(
        "Bad credentials ghs_0123456789abcdef0123456789abcdef0123 and ghp_abcdefghijklmnopqrstuvwxyz0123, " +
          "v1.0123456789abcdef0123456789abcdef01234567, " +
          "Authorization: bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEsImV4cCI6MX0.c2lnbmF0dXJl " +
          "token 0123456789abcdef0123456789 -----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA-----END RSA PRIVATE KEY-----\n" +
          "second line",
      ),
      { status: 401, response: { status: 401 } },
    );
    const reason = describeError(error);
    expect(reason).toBe(
      "GitHub API answered 401: Bad credentials [redacted] and [redacted], [redacted], " +
        "Authorization: [redacted] [redacted] [redacted]",
    );
  });

  it("does not call a transport failure an answer from GitHub", () => {
    const error = Object.assign(new Error("GitHub did not answer GET /x within 300 ms"), {
      status: 500,
    });
    expect(describeError(error)).toBe("GitHub did not answer GET /x within 300 ms");
  });
});
