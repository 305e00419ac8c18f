import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchSnapshot } from "../../src/cli/evaluate-command.js";

// A GitHub stand-in that accepts every connection and never answers.
let server: Server;
let apiUrl: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer(() => undefined);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
);

describe("changegate evaluate --pr / snapshot: a GitHub that never answers", () => {
  it("fails after the per-request timeout, in one line that says so", async () => {
    const started = Date.now();
    const error = await fetchSnapshot(
      "acme/app#1",
      apiUrl,
      { GITHUB_TOKEN: "test-token" },
      200,
    ).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error?.message).toMatch(
      /^cannot reach 127\.0\.0\.1:\d+: GitHub did not answer within 0\.2 s \((GET|POST) \/[^\s)]+\)$/,
    );
  }, 10_000);
});
