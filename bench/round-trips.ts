// Sequential round trips in a recording of the GitHub emulator (bench/app.ts, test/e2e/context.test.ts,
// test/e2e/round-trips.test.ts).
import type { RecordedRequest } from "@changegate/github-emulator";

/**
 * Each read of `reads` with its place in the longest chain of reads in which each starts after
 * the previous one was answered (1: nothing it waited on was read before it), in arrival order.
 */
export function readChain(
  reads: readonly RecordedRequest[],
): { readonly read: RecordedRequest; readonly depth: number }[] {
  const sorted = reads
    .filter((read) => read.receivedAt !== undefined)
    .sort((a, b) => a.receivedAt! - b.receivedAt!);
  const depth: number[] = [];
  sorted.forEach((read, i) => {
    let best = 0;
    for (let j = 0; j < i; j++)
      if (sorted[j]!.answeredAt! <= read.receivedAt!) best = Math.max(best, depth[j]!);
    depth.push(best + 1);
  });
  return sorted.map((read, i) => ({ read, depth: depth[i]! }));
}

/**
 * The longest chain of `reads` in which each starts after the previous one was answered: the
 * sequential round trips they cost. With API latency injected, parallel reads arrive together and
 * count once.
 */
export function readChainDepth(reads: readonly RecordedRequest[]): number {
  return Math.max(0, ...readChain(reads).map((entry) => entry.depth));
}

/** The chain as one line per round trip: `1: graphql ChangegatePull, pulls/list-files`. */
export function describeChain(reads: readonly RecordedRequest[]): string[] {
  const trips = new Map<number, string[]>();
  for (const { read, depth } of readChain(reads)) {
    const name =
      read.operationId === "graphql" ? `graphql ${graphqlName(read.body)}` : read.operationId;
    trips.set(depth, [...(trips.get(depth) ?? []), name ?? `${read.method} ${read.path}`]);
  }
  return [...trips.entries()]
    .sort(([a], [b]) => a - b)
    .map(([depth, names]) => `${depth}: ${names.join(", ")}`);
}

function graphqlName(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
  return /query\s+(\w+)/.exec(text)?.[1] ?? "query";
}

/** The pull request goal 3 of issue 15 bounds: 100 changed infrastructure files. */
export const HUNDRED_FILES = 100;

const deployment = (name: string, app: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: web\n          image: web:1\n          ports:\n            - containerPort: 8080\n`;
const service = (app: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;

/**
 * A pull request of `HUNDRED_FILES` Kubernetes Deployments relabelled, 5 to a directory, each
 * directory with an unchanged Service that still selects its first Deployment's old label (the
 * context a cross-file rule reads), and the repository's policy on the base branch.
 */
export function hundredFileChange(): {
  readonly base: Record<string, string>;
  readonly head: Record<string, string>;
} {
  const base: Record<string, string> = {
    ".github/changegate.yml": "requirements:\n  high: { approvals: 1 }\n",
  };
  const head: Record<string, string> = {};
  for (let i = 0; i < HUNDRED_FILES; i++) {
    const dir = `k8s/team-${Math.floor(i / 5)}`;
    const app = `web-${i}`;
    base[`${dir}/deploy-${i}.yaml`] = deployment(app, app);
    head[`${dir}/deploy-${i}.yaml`] = deployment(app, `${app}-v2`);
    if (i % 5 === 0) base[`${dir}/service.yaml`] = service(app);
  }
  return { base, head };
}

/** Whether the App wrote to the repository (an installation token is no such write). */
export const isRepositoryWrite = (request: RecordedRequest): boolean =>
  request.method !== "GET" &&
  request.operationId !== "graphql" &&
  request.operationId !== "apps/create-installation-access-token";

/** The App's own requests among a recording (its bot's, and its identity's `GET /app`). */
export const appRequests = (requests: readonly RecordedRequest[]): RecordedRequest[] =>
  requests.filter(
    (request) => request.actor === "changegate[bot]" || request.path.startsWith("/app"),
  );

/**
 * The App's sequential read round trips before its first write to the repository (the sticky
 * comment, or the check run in progress): issue 15's goal 3 counts these.
 */
export function readRoundTripsBeforeFirstWrite(requests: readonly RecordedRequest[]): number {
  const app = appRequests(requests).sort((a, b) => a.receivedAt! - b.receivedAt!);
  const firstWrite = app.find(isRepositoryWrite)?.receivedAt ?? Infinity;
  return readChainDepth(
    app.filter((request) => !isRepositoryWrite(request) && request.receivedAt! < firstWrite),
  );
}
