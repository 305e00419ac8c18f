import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit, type Logger } from "probot";
import { startEmulator, type Emulator } from "@changegate/github-emulator";
import {
  registerChangegate,
  type ChangegateApp,
  type ChangegateOptions,
} from "../../src/github/app.js";

/** The real App server on 127.0.0.1, wired to a local GitHub emulator (demo, tests, benchmarks). */
export interface LocalStack {
  readonly github: Emulator;
  readonly appUrl: string;
  /** The App's handle (recovery sweeps are off unless a test starts them). */
  readonly app: ChangegateApp;
  /** Resolves when every queued evaluation has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** ProbotOctokit retries and throttles by default (probot src/octokit/probot-octokit.ts); tests turn both off. */
  readonly retries?: boolean;
  /** Share an emulator (several replicas); the stack then leaves it open on close. */
  readonly github?: Emulator;
  /** Point the emulator's webhooks at this App (default true; false behind a load balancer). */
  readonly webhookTarget?: boolean;
  /** Redis for Probot's cluster-wide throttling and for the per-PR locks (replicas). */
  readonly redisUrl?: string;
  /** Replaces the per-PR coordinator (tests instrument it). */
  readonly coordinator?: ChangegateOptions["coordinator"];
  /** Probot's logger (tests read what the App logs). */
  readonly log?: Logger;
  /** Request timeout and deadline (tests shorten them). */
  readonly requests?: ChangegateOptions["requests"];
  /** When a running evaluation shows `in_progress` (tests of that state use 0). */
  readonly inProgressAfterMs?: number;
  /** Quiet time before the trailing evaluation of a burst (default 1 s; tests shorten it). */
  readonly settleMs?: number;
  /** The clock change windows and freezes are judged by (tests inject one; default `Date.now`). */
  readonly now?: () => number;
}

export async function startLocalStack(options: StackOptions = {}): Promise<LocalStack> {
  const github =
    options.github ?? (await startEmulator({ webhookSecret: "changegate-demo-secret" }));
  const credentials = github.appCredentials();
  const Octokit = options.retries
    ? ProbotOctokit
    : ProbotOctokit.defaults((defaults: object) => ({
        ...defaults,
        retry: { enabled: false },
        throttle: { enabled: false },
      }));
  const probot = new Probot({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    secret: credentials.secret,
    baseUrl: credentials.baseUrl,
    Octokit,
    logLevel: options.logLevel ?? "warn",
    ...(options.log ? { log: options.log } : {}),
    ...(options.redisUrl ? { redisConfig: options.redisUrl } : {}),
  });
  let app: ChangegateApp | undefined;
  const middleware = await createNodeMiddleware(
    (probotApp) => {
      app = registerChangegate(probotApp, {
        ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
        ...(options.coordinator ? { coordinator: options.coordinator } : {}),
        ...(options.requests ? { requests: options.requests } : {}),
        ...(options.inProgressAfterMs !== undefined
          ? { inProgressAfterMs: options.inProgressAfterMs }
          : {}),
        ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
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
  if (options.webhookTarget ?? true) github.setWebhookTarget(appUrl);
  if (!app) throw new Error("the App was not registered");
  const changegate: ChangegateApp = app;
  return {
    github,
    appUrl,
    app: changegate,
    idle: async () => {
      await github.settle();
      await app?.idle();
      await github.settle();
    },
    close: async () => {
      await app?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.github) await github.close();
    },
  };
}
