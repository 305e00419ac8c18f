import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../../src/config/policy.js";
import type { TreeEntryText } from "../../../src/github/snapshot/cache.js";
import { SnapshotCache } from "../../../src/github/snapshot/cache.js";
import {
  contextCandidates,
  contextDirectories,
  MAX_CONTEXT_BYTES,
  MAX_CONTEXT_DIRECTORIES,
  MAX_CONTEXT_FILE_BYTES,
  MAX_CONTEXT_FILES,
  pickContext,
  type DirectoryListing,
} from "../../../src/github/snapshot/context.js";
import { fileSelection } from "../../../src/github/snapshot/shared.js";
import { loadSnapshot } from "../../../src/github/snapshot/index.js";
import { BOT, load, roundTrips, timedClient, useEmulator } from "./helpers.js";

const selection = fileSelection(DEFAULT_POLICY);

const deployment = (name: string, replicas = 2) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: { app: ${name} }\n  template:\n    metadata:\n      labels: { app: ${name} }\n`;
const service = (name: string, app: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: { app: ${app} }\n  ports:\n    - port: 80\n`;

const HELM_DEPLOYMENT =
  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicaCount | default 2 }}\n";
const HELM_SERVICE =
  "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector: { app: web }\n";

const entry = (name: string, text: string | null, size = text?.length ?? 10): TreeEntryText => ({
  name,
  size,
  text,
});

/** The context of `infra` with `listings` as read, by the pure selection both loaders share. */
function contextOf(
  infra: readonly string[],
  listings: Record<string, DirectoryListing | undefined>,
  changed: readonly string[] = infra,
) {
  const map = new Map(Object.entries(listings));
  const candidates = contextCandidates(infra, new Set(changed), map, selection);
  const textOf = (path: string) => {
    const slash = path.lastIndexOf("/");
    const dir = slash === -1 ? "" : path.slice(0, slash);
    return map.get(dir)?.find((file) => file.name === path.slice(slash + 1))?.text;
  };
  return pickContext(candidates, textOf, selection);
}

describe("which unchanged files are context", () => {
  it("the other infrastructure files of a changed file's directory, not changed ones, not docs", () => {
    const picked = contextOf(["k8s/web.yaml"], {
      k8s: [
        entry("web.yaml", deployment("web")),
        entry("svc.yaml", service("web", "web")),
        entry("README.md", "# k8s\n"),
        entry("notes.yaml", "just: notes\n"),
        entry("logo.yaml", null),
      ],
    });
    expect(picked).toEqual({
      context: [{ path: "k8s/svc.yaml", text: service("web", "web") }],
      truncated: false,
    });
  });

  it("a Helm template's sibling templates and its chart's values.yaml (not the chart's other files)", () => {
    const template = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n";
    expect(contextDirectories(["charts/web/templates/deploy.yaml"])).toEqual([
      "charts/web/templates",
      "charts/web",
    ]);
    const picked = contextOf(["charts/web/templates/deploy.yaml"], {
      "charts/web/templates": [entry("deploy.yaml", template), entry("svc.yaml", template)],
      "charts/web": [
        entry("values.yaml", "replicaCount: 2\n"),
        entry("values-prod.yaml", "replicaCount: 5\n"),
        entry("Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n"),
      ],
    });
    expect(picked.context.map((file) => file.path)).toEqual([
      "charts/web/templates/svc.yaml",
      "charts/web/values.yaml",
    ]);
  });

  it("a chart's changed values.yaml: the chart's templates", () => {
    const template = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n";
    expect(contextDirectories(["charts/web/values.yaml"])).toEqual([
      "charts/web",
      "charts/web/templates",
    ]);
    const picked = contextOf(["charts/web/values.yaml"], {
      "charts/web": [entry("values.yaml", "replicaCount: 2\n")],
      "charts/web/templates": [entry("svc.yaml", template), entry("NOTES.txt", "{{ .Values }}\n")],
    });
    expect(picked.context.map((file) => file.path)).toEqual(["charts/web/templates/svc.yaml"]);
    // A values.yaml outside a chart: no templates directory, nothing more.
    expect(contextOf(["app/values.yaml"], { app: [], "app/templates": null })).toEqual({
      context: [],
      truncated: false,
    });
  });

  it("a file that could not be read is left out and said so; one without text is no context", () => {
    const candidates = contextCandidates(
      ["k8s/web.yaml"],
      new Set(["k8s/web.yaml"]),
      new Map([["k8s", [entry("a.yaml", null), entry("b.yaml", null)]]]),
      selection,
    );
    const texts: Record<string, string | null | undefined> = {
      "k8s/a.yaml": null,
      "k8s/b.yaml": service("b", "web"),
    };
    expect(pickContext(candidates, (path) => texts[path], selection)).toEqual({
      context: [{ path: "k8s/b.yaml", text: service("b", "web") }],
      truncated: false,
    });
    texts["k8s/a.yaml"] = undefined;
    expect(pickContext(candidates, (path) => texts[path], selection).truncated).toBe(true);
  });

  it("stops at MAX_CONTEXT_FILES files and says the rest was left out", () => {
    const files = Array.from({ length: MAX_CONTEXT_FILES + 5 }, (_, i) =>
      entry(`s${String(i).padStart(3, "0")}.tf`, `resource "aws_s3_bucket" "b${i}" {}\n`),
    );
    const picked = contextOf(["infra/main.tf"], { infra: [entry("main.tf", ""), ...files] });
    expect(picked.context).toHaveLength(MAX_CONTEXT_FILES);
    expect(picked.truncated).toBe(true);
  });

  it("stops at MAX_CONTEXT_BYTES in total, and leaves out a file over MAX_CONTEXT_FILE_BYTES", () => {
    const big = (name: string) => entry(name, `# ${name}\n`, MAX_CONTEXT_FILE_BYTES);
    const count = Math.floor(MAX_CONTEXT_BYTES / MAX_CONTEXT_FILE_BYTES);
    const files = Array.from({ length: count + 1 }, (_, i) => big(`b${i}.tf`));
    const picked = contextOf(["infra/main.tf"], { infra: [entry("main.tf", ""), ...files] });
    expect(picked.context).toHaveLength(count);
    expect(picked.truncated).toBe(true);

    const one = contextOf(["infra/main.tf"], {
      infra: [entry("main.tf", ""), entry("huge.tf", "# huge\n", MAX_CONTEXT_FILE_BYTES + 1)],
    });
    expect(one).toEqual({ context: [], truncated: true });
    // Within the bounds nothing is left out.
    const small = contextOf(["infra/main.tf"], {
      infra: [entry("main.tf", ""), entry("vars.tf", "# vars\n", MAX_CONTEXT_FILE_BYTES)],
    });
    expect(small.truncated).toBe(false);
  });

  it("reads at most MAX_CONTEXT_DIRECTORIES directories; a directory not read leaves its files out", () => {
    const paths = Array.from({ length: MAX_CONTEXT_DIRECTORIES + 3 }, (_, i) => `d${i}/main.tf`);
    expect(contextDirectories(paths)).toHaveLength(MAX_CONTEXT_DIRECTORIES);
    expect(contextOf(["infra/main.tf"], { infra: undefined })).toEqual({
      context: [],
      truncated: true,
    });
    // No such directory at the head (every file of it removed): nothing, nothing left out.
    expect(contextOf(["infra/main.tf"], { infra: null })).toEqual({
      context: [],
      truncated: false,
    });
  });
});

// Every GraphQL query is valid against GitHub's schema, every REST request documented.
const github = useEmulator();

/** A pull request that scales down `k8s/web.yaml`, with its Service unchanged beside it. */
async function scaleDown(repo: string): Promise<{ repo: string; number: number }> {
  github().createRepo(repo, {
    ownerType: "Organization",
    files: { "k8s/web.yaml": deployment("web", 3), "k8s/svc.yaml": service("web", "web") },
  });
  github().addCollaborator(repo, "carol", "write");
  github().commit(repo, "change", { "k8s/web.yaml": deployment("web", 1) }, { author: "carol" });
  const { number } = await github().openPullRequest(repo, {
    head: "change",
    author: "carol",
    title: "Scale down",
    body: "",
  });
  return { repo, number };
}

describe("both loaders read the context at the head", () => {
  it("the Service beside a changed Deployment, in the same 2 round trips, cached for the next load", async () => {
    const repo = "acme/context-1";
    github().createRepo(repo, {
      ownerType: "Organization",
      files: {
        "k8s/web.yaml": deployment("web", 3),
        "k8s/svc.yaml": service("web", "web"),
        "k8s/README.md": "# manifests\n",
        "k8s/binary.yaml": "kind: \u0000\n",
        "k8s/other/deep.yaml": service("deep", "deep"),
        "app/config.yaml": service("elsewhere", "web"),
        "main.tf": 'resource "aws_s3_bucket" "logs" {}\n',
        "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
        "charts/web/values.yaml": "replicaCount: 2\n",
        "charts/web/templates/deploy.yaml": HELM_DEPLOYMENT,
        "charts/web/templates/svc.yaml": HELM_SERVICE,
      },
    });
    github().addCollaborator(repo, "carol", "write");
    github().commit(
      repo,
      "change",
      {
        "k8s/web.yaml": deployment("web", 3).replaceAll("app: web", "app: web-v2"),
        "vars.tf": 'variable "region" {}\n',
        "charts/web/templates/deploy.yaml": HELM_DEPLOYMENT.replace("2", "5"),
      },
      { author: "carol" },
    );
    const { number } = await github().openPullRequest(repo, {
      head: "change",
      author: "carol",
      title: "Relabel",
      body: "",
    });
    const rest = await load(github(), repo, number, "rest");
    const graphql = await load(github(), repo, number, "graphql");
    expect(graphql.loaded).toEqual(rest.loaded);
    const { snapshot } = graphql.loaded;
    expect(snapshot.context).toEqual([
      { path: "charts/web/templates/svc.yaml", text: HELM_SERVICE },
      { path: "charts/web/values.yaml", text: "replicaCount: 2\n" },
      { path: "k8s/svc.yaml", text: service("web", "web") },
      // The repository's root holds vars.tf (added): its other Terraform file is context.
      { path: "main.tf", text: 'resource "aws_s3_bucket" "logs" {}\n' },
    ]);
    expect(snapshot.contextTruncated).toBeUndefined();
    // The directories ride in round trip 2 with the changed files' texts: no round trip more.
    expect(roundTrips(graphql.requests)).toBe(2);

    const cache = new SnapshotCache();
    await load(github(), repo, number, "graphql", cache);
    const mark = github().mark();
    const again = await load(github(), repo, number, "graphql", cache);
    expect(again.loaded).toEqual(graphql.loaded);
    const objects = github()
      .since(mark)
      .filter((request) => request.operationId === "graphql")
      .reduce(
        (n, request) =>
          n + (JSON.stringify(request.body).match(/object\(expression/g)?.length ?? 0),
        0,
      );
    expect(objects).toBe(0);
  });

  it("a query the directories made fail fails the GraphQL load: REST reads the change and its context (fail closed)", async () => {
    const { number } = await scaleDown("acme/context-2");
    const real = github().graphqlHandler!;
    let refused = 0;
    github().graphqlHandler = async (request) => {
      if (JSON.stringify(request.body).includes("TreeTexts")) {
        refused++;
        return { status: 502, body: { message: "Server Error" } };
      }
      return real(request);
    };
    try {
      const fallbacks: unknown[] = [];
      const { octokit } = timedClient(github());
      const loaded = await loadSnapshot(
        octokit,
        { owner: "acme", repo: "context-2", number },
        BOT,
        {
          cache: null,
          onFallback: (error) => fallbacks.push(error),
        },
      );
      expect(refused).toBeGreaterThan(0);
      expect(fallbacks).toHaveLength(1);
      expect(loaded.snapshot.files.map((file) => file.path)).toEqual(["k8s/web.yaml"]);
      expect(loaded.snapshot.context?.map((file) => file.path)).toEqual(["k8s/svc.yaml"]);
      expect(loaded.snapshot.contextTruncated).toBeUndefined();
    } finally {
      github().graphqlHandler = real;
    }
  });

  it("a directory or context file GitHub does not give over REST fails the load, not a load without it", async () => {
    const { repo, number } = await scaleDown("acme/context-3");
    // The emulator sees the path as sent: a slash inside it is `%2F`.
    for (const path of [/\/contents\/k8s$/, /\/contents\/k8s%2Fsvc\.yaml$/]) {
      const fault = github().injectFault({ path, status: 502, times: Infinity });
      try {
        await expect(load(github(), repo, number, "rest")).rejects.toThrow();
      } finally {
        github().clearFaults();
      }
      expect(fault.hits).toBeGreaterThan(0);
    }
    const { loaded } = await load(github(), repo, number, "rest");
    expect(loaded.snapshot.context?.map((file) => file.path)).toEqual(["k8s/svc.yaml"]);
  });
});
