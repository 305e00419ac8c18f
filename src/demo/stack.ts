import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { startEmulator, type Emulator } from "../emulator/index.js";
import { registerChangegate, type ChangegateApp } from "../github/app.js";

/** The real App server on 127.0.0.1, wired to a local GitHub emulator (demo, tests, benchmarks). */
export interface LocalStack {
  readonly github: Emulator;
  readonly appUrl: string;
  /** Resolves when every queued evaluation has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** Probot's retry and throttling plugins are on in production; tests turn them off (STACK.md). */
  readonly retries?: boolean;
  readonly github?: Emulator;
}

export async function startLocalStack(options: StackOptions = {}): Promise<LocalStack> {
  const github = options.github ?? (await startEmulator({ webhookSecret: "changegate-demo-secret" }));
  const credentials = github.appCredentials();
  const Octokit = options.retries
    ? ProbotOctokit
    : ProbotOctokit.defaults((defaults: object) => ({ ...defaults, retry: { enabled: false }, throttle: { enabled: false } }));
  const probot = new Probot({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    secret: credentials.secret,
    baseUrl: credentials.baseUrl,
    Octokit,
    logLevel: options.logLevel ?? "warn",
  });
  let app: ChangegateApp | undefined;
  const middleware = await createNodeMiddleware(
    (probotApp) => {
      app = registerChangegate(probotApp);
    },
    { probot },
  );
  const server: Server = createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  github.setWebhookTarget(appUrl);
  return {
    github,
    appUrl,
    idle: async () => {
      await github.settle();
      await app?.idle();
      await github.settle();
    },
    close: async () => {
      await app?.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.github) await github.close();
    },
  };
}
