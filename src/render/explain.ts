import type { PullSnapshot } from "../gates/snapshot.js";
import type { Evaluation } from "../gates/verdict.js";
import { changeLine, findingLines } from "./analysis-markdown.js";
import { code, escapeText, fenced } from "./escape.js";
import { gateLines } from "./verdict-markdown.js";

/** GitHub rejects comment bodies over 65,536 characters. */
const MAX_COMMENT = 65_000;

/** `/changegate explain`: every finding and gate in detail, and the snapshot to replay offline. */
export function explainBody(evaluation: Evaluation, snapshot: PullSnapshot): string {
  const { verdict, analysis } = evaluation;
  const lines = [
    "### Changegate: explanation",
    "",
    `Risk **${verdict.risk}** (the highest finding). ${escapeText(verdict.title)}.`,
    "",
    "#### Gates",
    "",
    ...gateLines(verdict),
    "",
    "#### Reviews",
    "",
    ...(verdict.approvals.length > 0
      ? verdict.approvals.map(
          (approval) =>
            `- ${escapeText(approval.user)}: ${approval.counted ? "counted" : "not counted"}, ${escapeText(approval.reason)}`,
        )
      : ["No reviews yet."]),
    "",
    "#### Findings and changes",
    "",
  ];
  for (const file of analysis.files) {
    lines.push(
      `**${code(file.path)}** (${file.format}, ${file.dialect}, ${file.status})`,
      "",
      ...file.findings.flatMap(findingLines),
    );
    lines.push(...file.changes.slice(0, 100).map((change) => `- ${changeLine(change)}`), "");
  }
  lines.push(...teamLines(snapshot));
  // `<` and `>` as JSON escapes: the fence then holds no `<!--` to defuse (fenced() would put
  // zero-width spaces into the strings), and the file replays to exactly this snapshot.
  const json = JSON.stringify(withoutMemberships(snapshot), null, 2)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e");
  const head = lines.join("\n");
  const room = MAX_COMMENT - head.length - 500;
  const attachment =
    json.length <= room
      ? fenced(json, "json")
      : `The snapshot is ${json.length} characters, too large for a comment. Reproduce it with \`changegate snapshot ${snapshot.repository}#${snapshot.pull.number} > snapshot.json\`.`;
  return `${head}\n<details><summary>Snapshot (replay with <code>changegate evaluate --snapshot FILE</code>)</summary>\n\n${attachment}\n\n</details>\n`;
}

/**
 * The reply is a PR comment anyone who can read the repository sees, and the App reads members of
 * secret teams too: membership never leaves in it. A team is told by its size and the members who
 * reviewed, which is all the gates read of it (a team approves through a reviewer who is a member).
 */
function teamLines(snapshot: PullSnapshot): string[] {
  const teams = Object.entries(snapshot.teams ?? {});
  if (teams.length === 0) return [];
  return [
    "#### Teams",
    "",
    ...teams.map(([team, members]) => {
      const reviewed = reviewersIn(snapshot, members);
      return `- ${code(team)}: ${members.length} ${members.length === 1 ? "member" : "members"}; ${
        reviewed.length > 0
          ? `reviewed by ${reviewed.map(escapeText).join(", ")}`
          : "no member reviewed"
      }`;
    }),
    "",
  ];
}

/** The snapshot with each team reduced to its members who reviewed: it replays to the same verdict. */
function withoutMemberships(snapshot: PullSnapshot): PullSnapshot {
  if (!snapshot.teams) return snapshot;
  return {
    ...snapshot,
    teams: Object.fromEntries(
      Object.entries(snapshot.teams).map(([team, members]) => [
        team,
        reviewersIn(snapshot, members),
      ]),
    ),
  };
}

function reviewersIn(snapshot: PullSnapshot, members: readonly string[]): string[] {
  const reviewers = new Set(snapshot.reviews.map((review) => review.user.toLowerCase()));
  return members.filter((login) => reviewers.has(login.toLowerCase()));
}
