/**
 * The emulator: a local, stateful GitHub (REST + webhooks) on 127.0.0.1.
 * `startEmulator()` starts it; the returned object is the scenario API plus
 * the server, the request log, violations, fault injection and assertions.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Faults, type ActiveFault, type FaultSpec } from "./faults.js";
import { createGraphqlHandler } from "./graphql/handler.js";
import { sharedRouter } from "./openapi/router.js";
import { sharedValidator } from "./openapi/validator.js";
import { testPrivateKey } from "./keys.js";
import { Shapes, type Links } from "./rest/shapes/index.js";
import { Scenario } from "./scenario/activity.js";
import type { RepoRef } from "./scenario/types.js";
import { Pipeline, type GraphqlHandler, type RecordedRequest, type Violation } from "./server.js";
import {
  createState,
  ensureUser,
  GITHUB_ACTIONS,
  pullByNumber,
  repoByName,
} from "./state/store.js";
import type {
  CheckRun,
  Issue,
  IssueComment,
  PullRequest,
  Review,
  ReviewComment,
} from "./state/types.js";
import {
  repositoryDispatchPayload,
  workflowRunPayload,
  type RepositoryDispatchPayloadOptions,
  type WorkflowRunPayloadOptions,
} from "./webhooks/actions.js";
import { WebhookSender } from "./webhooks/deliver.js";

export interface EmulatorOptions {
  /** Secret the deliveries are signed with (default `emulator-webhook-secret`). */
  webhookSecret?: string;
  /** The App's id (default 1). */
  appId?: number;
  /** The App's slug; its bot user is `<slug>[bot]` (default `changegate`). */
  appSlug?: string;
  appName?: string;
  /** Validate every JSON response against the documented schema; mismatches become violations. */
  validateResponses?: boolean;
  /** How long a delivery waits for the App (default 30 s). */
  webhookTimeoutMs?: number;
}

export interface AppCredentials {
  appId: number;
  privateKey: string;
  secret: string;
  baseUrl: string;
}

export class Emulator extends Scenario {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly webhookSecret: string;
  private readonly faultList: Faults;
  /** Requests dropped from the log by `reset()`, so marks stay valid. */
  private cleared = 0;

  /** @internal use startEmulator() */
  constructor(
    private readonly server: Server,
    private readonly pipeline: Pipeline,
    state: ConstructorParameters<typeof Scenario>[0],
    shapes: Shapes,
    sender: WebhookSender,
    faults: Faults,
    links: Links,
    secret: string,
    private readonly background: BackgroundWork,
  ) {
    super(state, shapes, sender);
    this.url = links.api;
    this.graphqlUrl = `${links.html}/api/graphql`;
    this.webhookSecret = secret;
    this.faultList = faults;
  }

  /** Every request the emulator answered, in order. */
  get requests(): RecordedRequest[] {
    return this.pipeline.requests;
  }

  /** A point in the request log, for `since(mark)`; it survives `reset()`. */
  mark(): number {
    return this.cleared + this.pipeline.requests.length;
  }

  /** The requests answered after `mark()` (GraphQL ones have `operationId: "graphql"`). */
  since(mark: number): RecordedRequest[] {
    return this.pipeline.requests.slice(Math.max(mark - this.cleared, 0));
  }

  /** Requests GitHub would reject or that left the documented API (assert it is empty). */
  get violations(): Violation[] {
    return this.pipeline.violations;
  }

  /**
   * The GraphQL endpoint (src/graphql/): queries validated against GitHub's schema and
   * resolved over the same state. Replace it to script answers; unset, POST /graphql answers 501.
   */
  set graphqlHandler(handler: GraphqlHandler | undefined) {
    this.pipeline.graphqlHandler = handler;
  }

  get graphqlHandler(): GraphqlHandler | undefined {
    return this.pipeline.graphqlHandler;
  }

  /** Where deliveries go (the App's webhook URL, e.g. `http://127.0.0.1:PORT/api/github/webhooks`). */
  setWebhookTarget(url: string | undefined): void {
    this.sender.target = url;
  }

  /** Makes the next matching requests fail or slow down. */
  injectFault(spec: FaultSpec): ActiveFault {
    return this.faultList.add(spec);
  }

  clearFaults(): void {
    this.faultList.clear();
  }

  /** Clears the request log and the violations (not the state). */
  reset(): void {
    this.cleared += this.pipeline.requests.length;
    this.pipeline.requests.length = 0;
    this.pipeline.violations.length = 0;
  }

  /** Requests that changed something (everything but GET/HEAD). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" && r.method !== "HEAD");
  }

  comments(repo: RepoRef, number: number): IssueComment[] {
    return [...repoByName(this.state, repo).comments.values()]
      .filter((c) => c.issueNumber === number)
      .sort((a, b) => a.id - b.id);
  }

  checkRuns(repo: RepoRef, sha?: string): CheckRun[] {
    return [...repoByName(this.state, repo).checkRuns.values()]
      .filter((r) => !sha || r.headSha === sha)
      .sort((a, b) => a.id - b.id);
  }

  issues(repo: RepoRef): Issue[] {
    return [...repoByName(this.state, repo).issues.values()].filter(
      (i): i is Issue => i.kind === "issue",
    );
  }

  pull(repo: RepoRef, number: number): PullRequest {
    return pullByNumber(repoByName(this.state, repo), number);
  }

  reviews(repo: RepoRef, number: number): Review[] {
    return [...repoByName(this.state, repo).reviews.values()]
      .filter((r) => r.pullNumber === number)
      .sort((a, b) => a.id - b.id);
  }

  /** The pull request's review comments (suggestions among them), oldest first. */
  reviewComments(repo: RepoRef, number: number): ReviewComment[] {
    return [...(repoByName(this.state, repo).reviewComments?.values() ?? [])]
      .filter((c) => c.pullNumber === number)
      .sort((a, b) => a.id - b.id);
  }

  /** A token whose requests act as this user (instead of the App's bot). */
  userToken(login: string): string {
    const token = `ghu_${Buffer.from(login).toString("hex").padEnd(36, "0")}`;
    this.state.tokens.set(token, {
      installationId: null,
      login,
      expiresAt: "2099-01-01T00:00:00Z",
    });
    return token;
  }

  /**
   * A workflow's GITHUB_TOKEN for `repo` (`ghs_...`): it acts as `github-actions[bot]` (a Bot),
   * its check runs carry the GitHub Actions App (id 15368), it reads and writes that repository
   * like an installation token, sees other private repositories as 404, and is refused
   * organization teams (REST 403, GraphQL FORBIDDEN), as on GitHub.
   */
  actionsToken(repo: RepoRef): string {
    const target = repoByName(this.state, repo);
    ensureUser(this.state, GITHUB_ACTIONS.botLogin, "Bot");
    const digest = createHash("sha1").update(`actions:${target.fullName.toLowerCase()}`);
    const token = `ghs_${digest.digest("hex").slice(0, 36)}`;
    this.state.tokens.set(token, {
      installationId: null,
      login: GITHUB_ACTIONS.botLogin,
      expiresAt: "2099-01-01T00:00:00Z",
      actionsRepo: target.fullName.toLowerCase(),
    });
    return token;
  }

  /**
   * The recorded deliveries (sent, or recorded without a target), oldest first, with the parsed
   * payload (null when the body was not a JSON object, see `deliverRaw`).
   */
  deliveries(filter: { event?: string; action?: string } = {}): RecordedDelivery[] {
    return this.state.deliveries
      .filter(
        (d) =>
          (filter.event === undefined || d.event === filter.event) &&
          (filter.action === undefined || d.action === filter.action),
      )
      .map((d) => ({
        id: d.id,
        guid: d.guid,
        event: d.event,
        action: d.action,
        status: d.statusCode,
        redelivery: d.redelivery,
        payload: parsedObject(d.requestBody),
      }));
  }

  /**
   * A `workflow_run.completed` payload for the Action's `GITHUB_EVENT_PATH` (not delivered:
   * `deliver("workflow_run", payload)` does that). `pullNumbers` empty: the fork case.
   */
  workflowRunPayload(repo: RepoRef, options: WorkflowRunPayloadOptions): Record<string, unknown> {
    return workflowRunPayload(this.state, this.shapes, this.events, repo, options);
  }

  /** A `repository_dispatch` payload (`action` is the event type), not delivered. */
  repositoryDispatchPayload(
    repo: RepoRef,
    options: RepositoryDispatchPayloadOptions,
  ): Record<string, unknown> {
    return repositoryDispatchPayload(this.state, this.events, repo, options);
  }

  /** Options for `new Probot({...})`: any RSA key works, the emulator does not check JWT signatures. */
  appCredentials(): AppCredentials {
    return {
      appId: this.state.app.id,
      privateKey: testPrivateKey(),
      secret: this.webhookSecret,
      baseUrl: this.url,
    };
  }

  /** Waits until background deliveries (redeliveries requested through the REST API) have been answered. */
  settle(): Promise<void> {
    return this.background.settle();
  }

  async close(): Promise<void> {
    await this.settle();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}

/** One recorded webhook delivery, as `emu.deliveries()` returns it. */
export interface RecordedDelivery {
  id: number;
  guid: string;
  event: string;
  action: string | null;
  /** The App's HTTP status (0: no target set, or unreachable). */
  status: number;
  redelivery: boolean;
  payload: Record<string, unknown> | null;
}

function parsedObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Work the emulator does after answering a request (redeliveries). */
class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    const p: Promise<unknown> = work.catch(() => undefined).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const secret = options.webhookSecret ?? "emulator-webhook-secret";
  const slug = options.appSlug ?? "changegate";
  const state = createState({
    id: options.appId ?? 1,
    slug,
    name: options.appName ?? slug,
    owner: `${slug}-developers`,
  });
  const links: Links = { api: "", html: "" };
  const shapes = new Shapes(state, links);
  const sender = new WebhookSender(state, secret, options.webhookTimeoutMs ?? 30_000);
  const faults = new Faults();
  const background = new BackgroundWork();
  const pipeline = new Pipeline({
    state,
    shapes,
    router: sharedRouter(),
    validator: sharedValidator(),
    faults,
    services: { redeliver: (id) => background.track(sender.redeliver(id)) },
    validateResponses: options.validateResponses ?? false,
    apiBase: () => links.api,
  });
  pipeline.graphqlHandler = createGraphqlHandler({
    state,
    links,
    report: (kind, message) =>
      pipeline.violations.push({
        kind,
        method: "POST",
        path: "/graphql",
        operationId: "graphql",
        status: 200,
        message,
      }),
  });
  const server = createServer((req, res) => {
    pipeline.handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `emulator crashed: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  links.html = `http://127.0.0.1:${port}`;
  links.api = `${links.html}/api/v3`;
  return new Emulator(server, pipeline, state, shapes, sender, faults, links, secret, background);
}
