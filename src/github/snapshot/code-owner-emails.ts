import { parseCodeOwners } from "../../gates/code-owners.js";
import type { GitHubClient } from "../client.js";

/** At most this many email owners are looked up per evaluation; the others stay unresolved. */
const MAX_EMAILS = 20;

/**
 * The email addresses CODEOWNERS names as owners, each mapped to the account GitHub links it to,
 * or null where GitHub links none. GitHub links a commit to the account that verified its author
 * email, and "List commits" filters by an email address
 * (https://docs.github.com/en/rest/commits/commits#list-commits, `author`), so the newest commit
 * of the repository written with that email names its account. An email nobody committed with
 * here, or a lookup that fails, stays null: the code-owner gate then says the file's owner cannot
 * approve (fail closed). Undefined when CODEOWNERS names no email.
 */
export async function codeOwnerEmails(
  client: GitHubClient,
  owner: string,
  repo: string,
  codeowners: string | null,
): Promise<Record<string, string | null> | undefined> {
  const emails = [
    ...new Set(
      parseCodeOwners(codeowners ?? "").flatMap((rule) =>
        rule.owners.flatMap((found) => (found.kind === "email" ? [found.email] : [])),
      ),
    ),
  ];
  if (emails.length === 0) return undefined;
  // One request per email, all at once: on every evaluation, so not one round trip after another.
  const logins = await Promise.all(
    emails.slice(0, MAX_EMAILS).map(async (email) => {
      try {
        const { data } = await client.request("GET /repos/{owner}/{repo}/commits", {
          owner,
          repo,
          author: email,
          per_page: 1,
        });
        return data[0]?.author?.login ?? null;
      } catch {
        return null;
      }
    }),
  );
  return Object.fromEntries(emails.map((email, index) => [email, logins[index] ?? null]));
}
