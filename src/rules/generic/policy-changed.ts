import { defineRule, type Detection } from "../types.js";
import { safe } from "../model/advice.js";

/**
 * A change to `.github/changegate.yml` is a policy change, evaluated under the base branch's policy, never its own,
 * so a PR cannot weaken the gate it is judged by (docs/risk.md, docs/security.md "The policy comes from the base
 * branch"); the change itself needs a careful review.
 */
/**
 * A policy change has no safe value: it is made safe by being reviewed on its own. Named by the
 * file's own path, which may be a custom policy file (the Action's `config`, docs/action.md).
 */
const safeFor = (path: string): string =>
  safe(`change \`${path}\` in a pull request of its own, with no infrastructure change in it`);

export default defineRule({
  id: "generic.policy.changed",
  family: "generic",
  title: "Changegate policy changed",
  description:
    "The PR edits the Changegate policy file (.github/changegate.yml). The PR is evaluated under the base branch's " +
    "policy; the new policy applies only after merge, so the change itself (rules disabled, requirements lowered, " +
    "files excluded) must be reviewed like any gate change (high).",
  severity: "high",
  params: {},
  dialects: ["changegate-policy"],
  check(file) {
    const first = file.changes[0];
    const line = first?.afterLine ?? first?.beforeLine ?? 1;
    const summary = file.changes
      .slice(0, 5)
      .map((change) => `${change.path || "(file)"} ${change.kind}`)
      .join(", ");
    const more = file.changes.length > 5 ? ` and ${file.changes.length - 5} more` : "";
    const SAFE = safeFor(file.path);
    const detection: Detection = {
      severity: "high",
      line,
      path: first?.path ?? "",
      message:
        file.status === "removed"
          ? `${file.path} is deleted: after merge Changegate falls back to its default policy. This PR is still evaluated under the base branch's policy.${SAFE}`
          : file.status === "added"
            ? `${file.path} is added: it governs every PR after merge. This PR is evaluated under the base branch's policy (the defaults), so the new policy itself needs review.${SAFE}`
            : `${file.path} changes (${summary}${more}). This PR is evaluated under the base branch's policy; the new policy applies only after merge, so the policy change itself needs review.${SAFE}`,
      figures: { changes: file.changes.length },
      checklist: [
        "Confirm the policy change does not disable rules, lower requirements or exclude files to let a risky change through later.",
      ],
    };
    return [detection];
  },
});
