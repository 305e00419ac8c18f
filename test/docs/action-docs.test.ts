// Issue 13: the Action's example workflows (examples/workflows/) and its page (docs/action.md) say
// the same thing as action.yml and as each other: the gate's triggers and least permissions, no
// checkout of the pull request, a review relay that decides nothing, every input and output, and
// every block the page quotes from an example file.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseCommand } from "../../src/github/triggers.js";
import { STICKY_MARKER } from "../../src/render/comment-state.js";
import { repoRoot } from "../helpers.js";

const GATE = "examples/workflows/changegate.yml";
const REVIEW = "examples/workflows/changegate-review.yml";
const DOC = "docs/action.md";

const read = (path: string): string => readFileSync(join(repoRoot, path), "utf8");

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}

interface Concurrency {
  group: string;
  "cancel-in-progress": boolean;
}

interface Workflow {
  name?: string;
  on: Record<string, { types?: string[]; workflows?: string[] } | null>;
  permissions: Record<string, string>;
  concurrency?: Concurrency;
  jobs: Record<
    string,
    { if?: string; environment?: string; concurrency?: Concurrency; steps: Step[] }
  >;
}

const workflow = (text: string): Workflow => parse(text) as Workflow;
const steps = (flow: Workflow): Step[] => Object.values(flow.jobs).flatMap((job) => job.steps);

const gate = workflow(read(GATE));
const review = workflow(read(REVIEW));
const doc = read(DOC);

/** The fenced YAML blocks of a markdown text, list items' blocks dedented. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```$/gm)].map(([, indent, body]) =>
    body!
      .split("\n")
      .map((line) => (line.startsWith(indent!) ? line.slice(indent!.length) : line))
      .join("\n"),
  );
}

const QUOTE = /^# from (\S+)\n/;
const ELISION = /^\s*# …\s*$/;

/**
 * Why a block that says `# from FILE` is not FILE's text, or null when it is: the block is cut at
 * `# …` lines, and each piece must be lines of FILE, contiguous, after the piece before it.
 */
function misquote(block: string, file: string): string | null {
  const lines = file.split("\n");
  let from = 0;
  const pieces = block.replace(QUOTE, "").replace(/\n$/, "").split("\n");
  const chunks: string[][] = [[]];
  for (const line of pieces) {
    if (ELISION.test(line)) chunks.push([]);
    else chunks.at(-1)!.push(line);
  }
  for (const chunk of chunks.filter((candidate) => candidate.length > 0)) {
    let at = -1;
    for (let start = from; start + chunk.length <= lines.length && at < 0; start++) {
      if (chunk.every((line, offset) => lines[start + offset] === line)) at = start;
    }
    if (at < 0) {
      const stray = chunk.find((line) => !lines.slice(from).includes(line)) ?? chunk[0];
      return `not in the file (after line ${from}): ${stray}`;
    }
    from = at + chunk.length;
  }
  return null;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

/** The rows of the markdown table whose header starts with `| first `, as cells. */
function tableRows(markdown: string, first: string): string[][] {
  const lines = markdown.split("\n");
  const header = lines.findIndex((line) => line.startsWith(`| ${first} `));
  const rows: string[][] = [];
  for (let index = header + 2; lines[index]?.startsWith("|"); index++) {
    rows.push(
      lines[index]!.split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe("examples/workflows/changegate.yml", () => {
  it("runs on exactly the events docs/action.md documents", () => {
    expect(gate.on).toEqual({
      pull_request_target: {
        types: [
          "opened",
          "synchronize",
          "reopened",
          "edited",
          "labeled",
          "unlabeled",
          "ready_for_review",
          "converted_to_draft",
          "closed",
        ],
      },
      issue_comment: { types: ["created", "edited", "deleted"] },
      workflow_run: { workflows: [review.name], types: ["completed"] },
      repository_dispatch: { types: ["changegate"] },
    });
    for (const event of Object.keys(gate.on)) expect(doc).toContain(`\`${event}\``);
  });

  it("asks for the least permissions, each explained", () => {
    expect(gate.permissions).toEqual({
      contents: "read",
      "pull-requests": "write",
      issues: "write",
      checks: "write",
    });
    const text = read(GATE);
    for (const [scope, access] of Object.entries(gate.permissions)) {
      expect(text).toMatch(new RegExp(`^  ${scope}: ${access} # \\S`, "m"));
    }
    expect(text).toMatch(/^ {2}# security-events: write # only with `sarif`/m);
  });

  it("evaluates one pull request at a time and never cancels a running evaluation", () => {
    // On the job, after its `if`: a comment that asks for nothing never joins the group.
    expect(gate.concurrency).toBeUndefined();
    const concurrency = gate.jobs.evaluate!.concurrency!;
    const group = concurrency.group;
    for (const number of [
      "github.event.pull_request.number",
      "github.event.issue.number",
      "github.event.workflow_run.pull_requests[0].number",
      "github.run_id",
    ])
      expect(group).toContain(number);
    expect(concurrency["cancel-in-progress"]).toBe(false);
  });

  it("skips comments that ask for nothing, by the marker and the command prefix the code uses", () => {
    const condition = gate.jobs.evaluate!.if!;
    expect(STICKY_MARKER).toContain("changegate:sticky");
    expect(condition).toContain("contains(github.event.comment.body, 'changegate:sticky')");
    expect(condition).toContain("contains(github.event.changes.body.from, 'changegate:sticky')");
    expect(parseCommand("/changegate recheck")).toBe("recheck");
    expect(condition).toContain("contains(github.event.comment.body, '/changegate')");
    expect(condition).toContain("github.event.issue.pull_request");
  });

  it("never checks anything out", () => {
    expect(steps(gate).filter((step) => step.uses?.startsWith("actions/checkout"))).toEqual([]);
    expect(read(GATE)).not.toMatch(/uses:\s*actions\/checkout/);
  });

  it("runs the Action with inputs action.yml declares, and uploads SARIF only when it wrote some", () => {
    const action = steps(gate).find((step) => step.uses?.startsWith("acme/changegate@"))!;
    expect(action.uses).toBe("acme/changegate@v1");
    const declared = Object.keys((parse(read("action.yml")) as ActionYml).inputs);
    expect(Object.keys(action.with!).length).toBeGreaterThan(0);
    expect(Object.keys(action.with!).filter((input) => !declared.includes(input))).toEqual([]);
    const upload = steps(gate).find((step) => step.uses?.includes("upload-sarif"))!;
    expect(upload.if).toContain(`steps.${action.id}.outputs.sarif-file != ''`);
    expect(upload.with!.sarif_file).toBe(`\${{ steps.${action.id}.outputs.sarif-file }}`);
    // The run's own ref is the default branch: the results must name the pull request's head.
    expect(upload.with!.sha).toBe("${{ github.event.pull_request.head.sha }}");
  });
});

describe("examples/workflows/changegate-review.yml", () => {
  it("only relays reviews, with no permissions and no Changegate", () => {
    expect(review.name).toBe("Changegate review");
    expect(review.on).toEqual({ pull_request_review: { types: ["submitted", "dismissed"] } });
    expect(review.permissions).toEqual({});
    expect(steps(review).length).toBeGreaterThan(0);
    expect(steps(review).filter((step) => step.uses !== undefined || !step.run)).toEqual([]);
    expect(read(REVIEW)).not.toMatch(/uses:/);
  });
});

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}

describe("docs/action.md", () => {
  it("lists every input of action.yml with its default, and every output", () => {
    const action = parse(read("action.yml")) as ActionYml;
    const inputs = tableRows(doc, "input");
    expect(inputs.map((row) => row[0])).toEqual(
      Object.keys(action.inputs).map((input) => `\`${input}\``),
    );
    for (const [name, { default: value = "" }] of Object.entries(action.inputs)) {
      const row = inputs.find((cells) => cells[0] === `\`${name}\``)!;
      expect(row[1], name).toBe(value === "" ? '`""`' : `\`${value}\``);
    }
    expect(tableRows(doc, "output").map((row) => row[0])).toEqual(
      Object.keys(action.outputs).map((output) => `\`${output}\``),
    );
  });

  it("quotes the example workflows as they are", () => {
    const quoted = yamlBlocks(doc).filter((block) => QUOTE.test(block));
    expect(quoted.map((block) => QUOTE.exec(block)![1])).toEqual([GATE, REVIEW, GATE]);
    const problems = quoted.flatMap((block) => {
      const path = QUOTE.exec(block)![1]!;
      const problem = misquote(block, read(path));
      return problem ? [`${path}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
    // The relay is quoted whole.
    expect(quoted[1]!.replace(QUOTE, "")).toBe(read(REVIEW));
  });

  it("tells a misquote from a quote", () => {
    const file = "a:\n  b: 1\n  c: 2\nd: 3\n";
    expect(misquote("# from f\na:\n  b: 1\n# …\nd: 3\n", file)).toBeNull();
    expect(misquote("# from f\na:\n  b: 2\n", file)).toMatch(/b: 2/);
    expect(misquote("# from f\nd: 3\n# …\na:\n", file)).toMatch(/a:/);
    expect(misquote("# from f\na:\n  c: 2\n", file)).toMatch(/a:/);
  });

  it("shows a GitHub App token bound to a default-branch environment as the defence", () => {
    const examples = yamlBlocks(doc)
      .filter((block) => !QUOTE.test(block))
      .map((block) => parse(block) as unknown);
    const flow = examples.find(
      (example): example is Pick<Workflow, "jobs"> =>
        typeof example === "object" && example !== null && "jobs" in example,
    )!;
    const job = Object.values(flow.jobs)[0]!;
    expect(job.environment).toBeTruthy();
    const token = job.steps.find((step) =>
      step.uses?.startsWith("actions/create-github-app-token"),
    )!;
    const action = job.steps.find((step) => step.uses?.startsWith("acme/changegate@"))!;
    expect(action.with).toEqual({
      "github-token": `\${{ steps.${token.id}.outputs.token }}`,
      "bot-login": `\${{ steps.${token.id}.outputs.app-slug }}[bot]`,
      "state-key": "${{ secrets.CHANGEGATE_STATE_KEY }}",
    });
    expect(doc).toMatch(/deployment branches are the default branch\s+only/);
  });

  it("links only to files and sections that exist", () => {
    const headings = (markdown: string): string[] =>
      [...markdown.replace(/^```[\s\S]*?^```$/gm, "").matchAll(/^#+ (.+)$/gm)].map((match) =>
        anchor(match[1]!),
      );
    const broken = [...doc.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1]!)
      .filter((target) => !/^(https?:|mailto:)/.test(target))
      .filter((target) => {
        const [path, section] = target.split("#") as [string, string | undefined];
        const file = path === "" ? DOC : join(dirname(DOC), path);
        if (!existsSync(join(repoRoot, file))) return true;
        return section !== undefined && !headings(read(file)).includes(section);
      });
    expect(broken).toEqual([]);
    expect(anchor("Forged checks, and the defence")).toBe("forged-checks-and-the-defence");
    expect(anchor("The sticky comment's state block")).toBe("the-sticky-comments-state-block");
  });

  it("is linked from docs/security.md and the README", () => {
    expect(read("docs/security.md")).toMatch(/^## The GitHub Action$/m);
    expect(read("docs/security.md")).toContain("](action.md");
    expect(read("README.md")).toContain("](docs/action.md");
  });
});
