import { ownerName } from "../gates/code-owners.js";
import { shortSha } from "../gates/outcome.js";
import type {
  ApprovalsNeeds,
  CodeOwnersNeeds,
  ExcludedApprover,
  GateResult,
  StaleApprovals,
  Verdict,
} from "../gates/verdict.js";
import { assertNever } from "../shared/assert-never.js";
import { listing } from "../shared/listing.js";
import { severityBadge } from "./analysis-markdown.js";
import { code, escapeText, person } from "./escape.js";

const GATE_TITLES: Record<GateResult["gate"], string> = {
  approvals: "Approvals",
  teams: "Team approvals",
  codeOwners: "Code owners",
  testPlan: "Test plan",
  rollbackPlan: "Rollback plan",
  checklist: "Checklist",
  schedule: "Change window",
  emergency: "Emergency override",
};

const STATUS_ICON: Record<GateResult["status"], string> = {
  pass: "✅",
  fail: "❌",
  "not-required": "➖",
};

export function riskHeading(verdict: Verdict): string {
  const icon = verdict.conclusion === "success" ? "✅" : "❌";
  return `**${icon} ${escapeText(verdict.title)}** (risk: ${severityBadge(verdict.risk)})`;
}

/** The gates as a list people scan: icon, gate, detail. (Not task-list boxes: those are the checklist.) */
export function gateLines(verdict: Verdict): string[] {
  return verdict.gates.map(
    (gate) =>
      `- ${STATUS_ICON[gate.status]} **${GATE_TITLES[gate.gate]}**: ${escapeText(gate.detail)}`,
  );
}

/**
 * What the author still has to do, one item per step, naming the people who can do it. The check
 * run and the sticky comment both show these lines (a blank line before the list, so no renderer
 * folds it into the label's paragraph).
 */
export function howToPass(verdict: Verdict): string[] {
  if (verdict.error) return [`**How to pass:** ${escapeText(verdict.error.message)}`];
  const failing = verdict.gates.filter((gate) => gate.status === "fail");
  if (failing.length === 0) return [];
  return ["**How to pass:**", "", ...failing.flatMap(advice).map((line) => `- ${line}`)];
}

function advice(gate: GateResult): string[] {
  switch (gate.gate) {
    case "approvals":
      return gate.needs?.kind === "approvals"
        ? approvalsAdvice(gate.needs)
        : [
            `Get ${gate.missing ?? "more"} approval(s) from people with write access who did not author or commit to this pull request; a writer's "changes requested" must be resolved.`,
          ];
    case "teams":
      return gate.needs?.kind === "teams"
        ? [
            `Get an approval from ${gate.needs.teams.length > 1 ? "a member of each of " : "a member of "}${listing(gate.needs.teams.map(person))}.`,
          ]
        : [`Get an approval from each required team: ${escapeText(gate.missing ?? gate.detail)}.`];
    case "codeOwners":
      return gate.needs?.kind === "codeOwners"
        ? codeOwnersAdvice(gate.needs)
        : [
            `Get an approval from a code owner of ${escapeText(gate.missing ?? "each changed file")}.`,
          ];
    case "testPlan":
      return [
        `Add a ${code("## Test plan")} section to the description with a link (URL, #123, owner/repo#123 or a tracker key such as OPS-42) to how this change was tested.`,
      ];
    case "rollbackPlan":
      return [
        `Add a ${code("## Rollback plan")} section to the description that says how to undo this change.`,
      ];
    case "checklist":
      return [
        "Have a reviewer with write access tick every item of the checklist below after verifying it.",
      ];
    case "schedule":
      return [scheduleAdvice(gate)];
    case "emergency":
      return [
        `The emergency label only counts when a maintainer or admin applies it (${escapeText(gate.detail)}).`,
      ];
  }
}

/** When the change may go in, and that the check is evaluated again then. */
function scheduleAdvice(gate: GateResult): string {
  const needs = gate.needs?.kind === "schedule" ? gate.needs : undefined;
  if (needs?.unknownTime)
    return `Re-run the check (${code("/changegate recheck")}): this evaluation did not know what time it was.`;
  if (needs?.opens)
    return `Wait until the window opens, ${escapeText(needs.opens)}: the App evaluates the pull request again then (elsewhere, comment ${code("/changegate recheck")}). In an emergency, a maintainer or admin can apply the emergency label.`;
  return `No window opens in the time Changegate looks ahead (${escapeText(gate.detail)}): change the policy's \`windows\` or \`freezes\`, or, in an emergency, have a maintainer or admin apply the emergency label.`;
}

/**
 * Who must approve again, who may approve, who blocks:
 * "@bob and @carol approved 0c5ff7d; the infrastructure change has changed since: they need to
 * approve again", "Get 1 more approval from people with write access who did not author or
 * commit to this pull request: not @alice (author) or @dave (pushed 3f2a1b0)".
 */
function approvalsAdvice(needs: ApprovalsNeeds): string[] {
  const lines = needs.stale.map(staleLine);
  if (needs.missing > 0) {
    const count = `${needs.missing}${needs.counted > 0 ? " more" : ""} approval${needs.missing === 1 ? "" : "s"}`;
    // With contributors allowed, the author is the only one excluded.
    lines.push(
      needs.contributorsMayApprove
        ? `Get ${count} from people with write access other than the author, ${listing(needs.excluded.map((who) => person(who.login)))}.`
        : `Get ${count} from people with write access who did not author or commit to this pull request: not ${listing(needs.excluded.map(excluded), "or")}.`,
    );
  }
  for (const login of needs.blockedBy)
    lines.push(`${person(login)} requested changes: that blocks until ${person(login)} approves.`);
  return lines;
}

function staleLine(group: StaleApprovals): string {
  const what =
    group.commitSha === null ? "a commit GitHub no longer has" : shortSha(group.commitSha);
  return `${listing(group.users.map(person))} approved ${what}; ${escapeText(group.since)}: they need to approve again.`;
}

function excluded(who: ExcludedApprover): string {
  switch (who.role) {
    case "author":
      return `${person(who.login)} (author)`;
    case "committed":
    case "co-authored":
    case "pushed":
      return `${person(who.login)} (${who.role}${who.sha ? ` ${shortSha(who.sha)}` : ""})`;
    default:
      return assertNever(who.role);
  }
}

/** One line per file: "Get an approval from a code owner of `infra/lb.tf`: @olga or @acme/net." */
function codeOwnersAdvice(needs: CodeOwnersNeeds): string[] {
  if (needs.noCodeowners)
    return [
      // Where GitHub looks for the file: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#codeowners-file-location
      `Add a ${code("CODEOWNERS")} file to the base branch (in ${code(".github/")}, the root or ${code("docs/")}): the policy requires a code owner's approval at this risk.`,
    ];
  return needs.files.map((file) =>
    file.emailOnly
      ? `Name a GitHub user or team as owner of ${code(file.path)} in ${code("CODEOWNERS")}: ${file.owners.length === 1 ? "its owner" : "its owners"} ${listing(file.owners.map(ownerName).map(escapeText))} ${file.owners.length === 1 ? "is an email address" : "are email addresses"} GitHub links to no account here, so nobody can approve as its code owner.`
      : `Get an approval from a code owner of ${code(file.path)}: ${listing(file.owners.map(ownerName).map(escapeText), "or")}.`,
  );
}
