import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchSnapshot } from "../../src/cli/evaluate-command.js";

// A GitHub stand-in that refuses every request with a message quoting a token.
const leaked = "ghp_" + "A".repeat(36);
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(401, { "content-type": "application/json" });
    response.end(JSON.stringify({ message: `Bad credentials: ${leaked}\nsecond line` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("changegate evaluate --pr: a GitHub error", () => {
  it("is one line with the status, and never prints a token GitHub's message quotes", async () => {
    const error = await fetchSnapshot("acme/app#1", apiUrl, { GITHUB_TOKEN: "test-token" }).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.message).toMatch(
      /^cannot load acme\/app#1: GitHub API answered 401: Bad credentials/,
    );
    expect(error?.message).not.toContain(leaked);
    expect(error?.message).toContain("[redacted]");
    expect(error?.message).not.toContain("\n");
  });
});
