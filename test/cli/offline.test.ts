import { createServer } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

let closedPort: number;

// A port that was free a moment ago and has no server now: connections are refused locally.
beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function runWithToken(
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const saved = process.env.GITHUB_TOKEN;
  process.env.GITHUB_TOKEN = "test-token";
  let out = "";
  let err = "";
  try {
    const code = await main(argv, {
      out: (text) => void (out += text),
      err: (text) => void (err += text),
    });
    return { code, out, err };
  } finally {
    if (saved === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = saved;
  }
}

describe("changegate evaluate --pr / snapshot without a network", () => {
  it.each([["evaluate", "--pr"], ["snapshot"]])(
    "%s says GitHub cannot be reached, with the network error, in one line",
    async (...command) => {
      const api = `http://127.0.0.1:${closedPort}`;
      const { code, out, err } = await runWithToken(...command, "acme/app#1", "--api-url", api);
      expect(code).toBe(2);
      expect(out).toBe("");
      expect(err).toBe(
        `changegate: cannot reach 127.0.0.1:${closedPort}: connect ECONNREFUSED 127.0.0.1:${closedPort}\n`,
      );
      expect(err).not.toMatch(/answered|500/);
    },
  );
});
