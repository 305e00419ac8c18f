import { z } from "zod";
import type { PullSnapshot } from "./snapshot.js";

// Validates snapshot files given to `changegate evaluate --snapshot` (docs/snapshot.md).

const permission = z.enum(["admin", "maintain", "write", "triage", "read", "none"]);
const text = z.string().nullable();

export const snapshotSchema = z.object({
  repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, "must be owner/name"),
  pull: z.object({
    number: z.number().int().positive(),
    author: z.string(),
    draft: z.boolean().default(false),
    body: z
      .string()
      .nullable()
      .transform((body) => body ?? ""),
    labels: z.array(z.string()).default([]),
    baseRef: z.string(),
    baseSha: z.string(),
    headSha: z.string(),
    title: z.string().optional(),
    state: z.enum(["open", "closed"]).optional(),
    merged: z.boolean().optional(),
    mergeCommitSha: text.optional(),
    mergedBy: text.optional(),
    mergedAt: text.optional(),
  }),
  policy: text.optional(),
  policyPath: z.string().optional(),
  policyFile: z.string().min(1).optional(),
  files: z.array(
    z.object({
      path: z.string().min(1),
      status: z.enum(["added", "removed", "modified"]),
      before: text,
      after: text,
      previousPath: z.string().optional(),
    }),
  ),
  otherFiles: z.array(z.string()).optional(),
  context: z.array(z.object({ path: z.string().min(1), text: z.string() })).optional(),
  contextTruncated: z.boolean().optional(),
  reviews: z
    .array(
      z.object({
        user: z.string(),
        state: z.enum(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]),
        commitSha: z.string().nullable(),
        permission: permission.default("none"),
        bot: z.boolean().default(false),
        submittedAt: z.string().optional(),
      }),
    )
    .default([]),
  revisions: z
    .record(
      z.string(),
      z.array(z.object({ path: z.string(), content: text, base: text.optional() })),
    )
    .optional(),
  commits: z
    .array(
      z.object({
        sha: z.string(),
        author: text,
        committer: text,
        coAuthors: z.array(z.string()).optional(),
        unlinked: z.array(z.string()).optional(),
        parents: z.array(z.string()).optional(),
        viaWeb: z.boolean().optional(),
      }),
    )
    .optional(),
  teams: z.record(z.string(), z.array(z.string())).optional(),
  codeowners: text.optional(),
  codeownerEmails: z.record(z.string(), z.string().nullable()).optional(),
  labelEvents: z
    .array(
      z.object({
        label: z.string(),
        action: z.enum(["labeled", "unlabeled"]).optional(),
        actor: z.string(),
        permission: permission,
        createdAt: z.string().optional(),
        headSha: text.optional(),
      }),
    )
    .optional(),
  checklist: z
    .array(
      z.object({
        item: z.string(),
        checkedBy: z.string(),
        permission,
        headSha: z.string(),
        changeSet: z.string().optional(),
      }),
    )
    .optional(),
  emergencyBinding: z
    .object({ actor: z.string(), createdAt: text, changeSet: z.string() })
    .nullable()
    .optional(),
  pushers: z
    .array(z.object({ login: z.string(), headSha: z.string(), before: z.string().optional() }))
    .optional(),
  requiredChecks: z.array(z.string()).nullable().optional(),
  evaluatedAt: z.iso.datetime({ offset: true }).optional(),
});

export type SnapshotCheck =
  { ok: true; snapshot: PullSnapshot } | { ok: false; path: string; message: string };

export function checkSnapshot(data: unknown): SnapshotCheck {
  const result = snapshotSchema.safeParse(data);
  if (result.success) return { ok: true, snapshot: result.data as PullSnapshot };
  const issue = result.error.issues[0]!;
  return { ok: false, path: issue.path.join(".") || "(root)", message: issue.message };
}
