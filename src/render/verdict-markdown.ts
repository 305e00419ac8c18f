import type { GateResult, Verdict } from "../gates/verdict.js";
import { severityBadge } from "./analysis-markdown.js";
import { code, escapeText } from "./escape.js";

const GATE_TITLES: Record<GateResult["gate"], string> = {
  approvals: "Approvals",
  teams: "Team approvals",
  codeOwners: "Code owners",
  testPlan: "Test plan",
  rollbackPlan: "Rollback plan",
  checklist: "Checklist",
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

/** What the author still has to do, one line per failing gate. */
export function howToPass(verdict: Verdict): string[] {
  if (verdict.error) return [`**How to pass:** ${escapeText(verdict.error.message)}`];
  const failing = verdict.gates.filter((gate) => gate.status === "fail");
  if (failing.length === 0) return [];
  return ["**How to pass:**", ...failing.map((gate) => `- ${advice(gate)}`)];
}

function advice(gate: GateResult): string {
  switch (gate.gate) {
    case "approvals":
      return `Get ${gate.missing ?? "more"} approval(s) from people with write access who did not author or commit to this pull request; a writer's "changes requested" must be resolved.`;
    case "teams":
      return `Get an approval from each required team: ${escapeText(gate.missing ?? gate.detail)}.`;
    case "codeOwners":
      return `Get an approval from a code owner of ${escapeText(gate.missing ?? "each changed file")}.`;
    case "testPlan":
      return `Add a ${code("## Test plan")} section to the description with a link (URL, #123, owner/repo#123 or a tracker key such as OPS-42) to how this change was tested.`;
    case "rollbackPlan":
      return `Add a ${code("## Rollback plan")} section to the description that says how to undo this change.`;
    case "checklist":
      return "Have a reviewer with write access tick every item of the checklist below after verifying it.";
    case "emergency":
      return `The emergency label only counts when a maintainer or admin applies it (${escapeText(gate.detail)}).`;
  }
}
