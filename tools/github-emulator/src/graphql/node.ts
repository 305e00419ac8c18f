/** `Query.node(id)`: the node types the emulator can look up by id (issue comments). */
import { notFound, ResolverFailure } from "./errors.js";
import type { ResolveContext } from "./context.js";
import type { Node } from "./connection.js";
import { commentNode } from "./pull-request.js";

/** The kind and id inside a node id (`rest/shapes/common.ts` `nodeId`), or undefined. */
function decode(id: string): { kind: string; id: string } | undefined {
  const text = Buffer.from(id, "base64").toString("utf8");
  const match = /^0(\d+):/.exec(text);
  if (!match) return undefined;
  const start = match[0].length;
  const length = Number(match[1]);
  return { kind: text.slice(start, start + length), id: text.slice(start + length) };
}

/** GitHub answers an unknown id with `null` and a NOT_FOUND error. */
export function nodeById(ctx: ResolveContext, id: string): Node {
  const decoded = decode(id);
  if (decoded?.kind === "IssueComment") {
    for (const repo of ctx.state.repos.values()) {
      const comment = repo.comments.get(Number(decoded.id));
      if (!comment) continue;
      const issue = repo.issues.get(comment.issueNumber);
      const html = `${ctx.links.html}/${repo.fullName}/${issue?.kind === "pull" ? "pull" : "issues"}/${comment.issueNumber}`;
      return commentNode(ctx, repo, comment, html);
    }
  } else if (decoded) {
    throw new ResolverFailure(
      "EMULATOR_UNIMPLEMENTED",
      `The emulator does not implement node(id) for ${decoded.kind}`,
      "unimplemented",
    );
  }
  throw notFound(`Could not resolve to a node with the global id of '${id}'`);
}
