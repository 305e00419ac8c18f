import { failed, loginKey, mention, notRequired, passed, type GateOutcome } from "./outcome.js";

export type TeamMembers = Readonly<Record<string, readonly string[]>>;

/** Members of `org/slug`, matched case-insensitively (GitHub slugs and logins are). */
export function membersOf(teams: TeamMembers | undefined, team: string): Set<string> | null {
  if (!teams) return null;
  const key = Object.keys(teams).find((name) => name.toLowerCase() === team.toLowerCase());
  return key === undefined ? null : new Set(teams[key]!.map(loginKey));
}

/** Why a team's membership can be unknown, for the teams and code-owners gates alike. */
export function unknownMembership(teams: readonly string[]): string {
  return `membership of ${teams.map(mention).join(", ")} unknown (the team does not exist, or Changegate's token cannot read its members: a workflow's GITHUB_TOKEN never can; the Action needs a token with read:org, docs/action.md#known-limits)`;
}

/** The teams gate: each required team has at least one counted approval from a member. */
export function evaluateTeams(
  required: readonly string[],
  counted: readonly string[],
  teams: TeamMembers | undefined,
): GateOutcome {
  if (required.length === 0) return notRequired("teams", "no team approvals required at this risk");
  const satisfied: string[] = [];
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const team of required) {
    const members = membersOf(teams, team);
    const approvers = members ? counted.filter((login) => members.has(loginKey(login))) : [];
    if (approvers.length > 0)
      satisfied.push(`${mention(team)} (${approvers.map(mention).join(", ")})`);
    else if (members) missing.push(team);
    else unknown.push(team);
  }
  const extra = { required: required.join(", "), present: satisfied.join(", ") };
  if (missing.length === 0 && unknown.length === 0) {
    return passed("teams", `approved by ${satisfied.join(", ")}`, extra);
  }
  const parts = [
    ...(missing.length > 0 ? [`no approval from ${missing.map(mention).join(", ")}`] : []),
    ...(unknown.length > 0 ? [unknownMembership(unknown)] : []),
    ...(satisfied.length > 0 ? [`approved by ${satisfied.join(", ")}`] : []),
  ];
  const lacking = [...missing, ...unknown];
  return failed("teams", parts.join("; "), `no approval from ${lacking.map(mention).join(", ")}`, {
    ...extra,
    missing: lacking.join(", "),
    needs: { kind: "teams", teams: lacking },
  });
}
