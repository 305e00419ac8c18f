import picomatch from "picomatch";
import { assertNever } from "../shared/assert-never.js";
import { failed, loginKey, mention, notRequired, passed, type GateOutcome } from "./outcome.js";
import { membersOf, unknownMembership, type TeamMembers } from "./teams.js";
import type { Owner } from "./verdict.js";

// CODEOWNERS rules: https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#codeowners-syntax
// - gitignore-style patterns, but `\#` escapes, `!` negation and `[ ]` ranges do not work there;
// - the last matching pattern takes precedence, and one with no owners leaves the path unowned;
// - paths are case-sensitive; owners are `@user`, `@org/team` or an email address.
// An email owner still owns the file. GitHub maps it to the account that verified it; the loader
// asks GitHub for that account (snapshot `codeownerEmails`), and an email it could not map is an
// owner who cannot approve: a file owned only by such emails fails the gate with that reason
// instead of counting as unowned (issue 10, item 19).

export interface CodeOwnersRule {
  readonly pattern: string;
  readonly owners: readonly Owner[];
  /** 1-based line in CODEOWNERS. */
  readonly line: number;
  readonly matches: (path: string) => boolean;
}

/** Parses CODEOWNERS text; lines that cannot be patterns (`!x`) are skipped. */
export function parseCodeOwners(text: string): CodeOwnersRule[] {
  const rules: CodeOwnersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const tokens = raw.trim().split(/\s+/);
    const pattern = tokens[0];
    if (!pattern || pattern.startsWith("#") || pattern.startsWith("!")) return;
    const owners: Owner[] = [];
    for (const token of tokens.slice(1)) {
      if (token.startsWith("#")) break; // the rest of the line is a comment
      const owner = parseOwner(token);
      if (owner) owners.push(owner);
    }
    rules.push({ pattern, owners, line: index + 1, matches: patternMatcher(pattern) });
  });
  return rules;
}

function parseOwner(token: string): Owner | null {
  if (token.startsWith("@")) {
    const name = token.slice(1);
    return name.includes("/") ? { kind: "team", team: name } : { kind: "user", login: name };
  }
  return token.includes("@") ? { kind: "email", email: token } : null;
}

/**
 * A gitignore pattern as picomatch globs: a leading `/` or a slash inside anchors at the root,
 * otherwise the pattern matches at any depth; a trailing `/` matches a directory's contents, and
 * a literal last segment also matches a directory of that name with everything inside. A
 * wildcard last segment matches one level only (GitHub: `docs/*` owns `docs/a.md`, not
 * `docs/build-app/troubleshooting.md`).
 */
export function patternMatcher(pattern: string): (path: string) => boolean {
  const directoryOnly = pattern.endsWith("/");
  let body = pattern.replace(/\/+$/, "");
  const anchored = body.startsWith("/") || body.includes("/");
  body = body.replace(/^\/+/, "");
  if (body === "") return () => false;
  // Only `*`, `**` and `?` are special in CODEOWNERS; escape what picomatch would read otherwise.
  const glob =
    (anchored || body.startsWith("**") ? "" : "**/") + body.replace(/[[\](){}!+@\\]/g, "\\$&");
  const last = body.slice(body.lastIndexOf("/") + 1);
  return picomatch(globsFor(glob, directoryOnly, last), {
    dot: true,
    nobrace: true,
    noextglob: true,
    nonegate: true,
  });
}

function globsFor(glob: string, directoryOnly: boolean, lastSegment: string): string[] {
  if (directoryOnly) return [`${glob}/**/*`];
  if (/[*?]/.test(lastSegment)) return [glob];
  return [glob, `${glob}/**/*`];
}

/** The owners of a path: the last matching rule's (empty: unowned, or no rule matches). */
export function ownersOf(rules: readonly CodeOwnersRule[], path: string): readonly Owner[] {
  for (let index = rules.length - 1; index >= 0; index--) {
    if (rules[index]!.matches(path)) return rules[index]!.owners;
  }
  return [];
}

export interface CodeOwnersInput {
  readonly required: boolean;
  /** The changed infrastructure files (a renamed file also under its old path). */
  readonly paths: readonly string[];
  /** CODEOWNERS text from the base branch; null or absent when the repository has none. */
  readonly codeowners: string | null | undefined;
  readonly counted: readonly string[];
  readonly teams: TeamMembers | undefined;
  /** Email owners → the account GitHub links each to (null or absent: none, cannot approve). */
  readonly emails?: Readonly<Record<string, string | null>> | undefined;
}

/**
 * The code-owners gate: every owned file has a counted approval from one of its owners. An owner
 * written as an email address owns the file but cannot approve it here (see the note above).
 */
export function evaluateCodeOwners(input: CodeOwnersInput): GateOutcome {
  if (!input.required)
    return notRequired("codeOwners", "code-owner approval not required at this risk");
  if (input.codeowners === null || input.codeowners === undefined) {
    return failed(
      "codeOwners",
      "the policy requires code-owner approval but the base branch has no CODEOWNERS file",
      "no CODEOWNERS file",
      {
        missing: "a CODEOWNERS file",
        needs: { kind: "codeOwners", noCodeowners: true, files: [] },
      },
    );
  }
  const rules = parseCodeOwners(input.codeowners);
  const approved: string[] = [];
  const lacking: { path: string; owners: readonly Owner[]; emailOnly?: true }[] = [];
  for (const path of new Set(input.paths)) {
    const owners = ownersOf(rules, path);
    if (owners.length === 0) continue;
    const approvers = input.counted.filter((login) =>
      owners.some((owner) => owns(owner, login, input.teams, input.emails)),
    );
    if (approvers.length > 0) approved.push(`${path} (${approvers.map(mention).join(", ")})`);
    else {
      // Owners who can approve are named; an unmapped email only when nobody else owns the file.
      const able = owners.filter((owner) => canApprove(owner, input.emails));
      lacking.push({
        path,
        owners: able.length > 0 ? able : owners,
        ...(able.length === 0 ? { emailOnly: true as const } : {}),
      });
    }
  }
  if (lacking.length === 0) {
    return passed(
      "codeOwners",
      approved.length > 0
        ? `approved by code owners: ${approved.join(", ")}`
        : "no changed file has code owners",
    );
  }
  const emailOnly = lacking.filter((file) => file.emailOnly).map((file) => file.path);
  // Owner teams whose members could not be read: nobody can be told apart as their member.
  const unreadable = [
    ...new Set(
      lacking.flatMap((file) =>
        file.owners.flatMap((owner) =>
          owner.kind === "team" && membersOf(input.teams, owner.team) === null ? [owner.team] : [],
        ),
      ),
    ),
  ];
  const detail = [
    [
      ...lacking.map((file) => `${file.path} needs ${file.owners.map(ownerName).join(" or ")}`),
      ...(unreadable.length > 0 ? [unknownMembership(unreadable)] : []),
    ].join("; "),
    ...(emailOnly.length > 0
      ? [
          `${emailOnly.join(", ")} ${emailOnly.length === 1 ? "is" : "are"} owned only by email addresses GitHub links to no account here (no commit of this repository carries them): nobody can approve as code owner until CODEOWNERS names @user or @org/team`,
        ]
      : []),
  ].join(". ");
  const shortfall =
    emailOnly.length > 0 ? "code owners are email addresses" : "code-owner approval missing";
  return failed("codeOwners", detail, shortfall, {
    missing: lacking.map((file) => file.path).join(", "),
    present: approved.join(", "),
    needs: { kind: "codeOwners", files: lacking },
  });
}

/** A user or team owner can approve; an email owner only once GitHub mapped it to an account. */
function canApprove(owner: Owner, emails: CodeOwnersInput["emails"]): boolean {
  return owner.kind !== "email" || Boolean(emailAccount(owner.email, emails));
}

function emailAccount(email: string, emails: CodeOwnersInput["emails"]): string | null {
  const key = Object.keys(emails ?? {}).find(
    (known) => known.toLowerCase() === email.toLowerCase(),
  );
  return key === undefined ? null : (emails![key] ?? null);
}

function owns(
  owner: Owner,
  login: string,
  teams: TeamMembers | undefined,
  emails: CodeOwnersInput["emails"],
): boolean {
  switch (owner.kind) {
    case "user":
      return loginKey(owner.login) === loginKey(login);
    case "team":
      return membersOf(teams, owner.team)?.has(loginKey(login)) ?? false;
    case "email":
      return loginKey(emailAccount(owner.email, emails) ?? "") === loginKey(login);
    default:
      return assertNever(owner);
  }
}

/** An owner as gate details and How to pass name it: `@olga`, `@acme/net` or an email address. */
export function ownerName(owner: Owner): string {
  switch (owner.kind) {
    case "user":
      return mention(owner.login);
    case "team":
      return mention(owner.team);
    case "email":
      return owner.email;
    default:
      return assertNever(owner);
  }
}
