import { assertNever } from "../shared/assert-never.js";
import { failed, notRequired, passed, type GateOutcome } from "./outcome.js";
import { bestReading, findSections } from "./pr-body.js";
import { planLabels, type PlanPolicy } from "./test-plan.js";

/** The rollback-plan gate: a section under one of the policy's headings that says something. */
export function evaluateRollbackPlan(
  body: string,
  policy: PlanPolicy,
  required: boolean,
): GateOutcome {
  const headings = policy.rollbackPlan.headings;
  const reading = bestReading(findSections(body, headings, planLabels(policy)));
  const title = `"${headings[0]!}"`;
  // `present` says a plan is there whether or not the risk required one (the merge record's).
  const present =
    reading.kind === "content"
      ? { present: `${reading.section.heading}, line ${reading.section.line}` }
      : {};
  if (!required) {
    return notRequired(
      "rollbackPlan",
      reading.kind === "content" ? "not required; present" : "not required at this risk",
      present,
    );
  }
  switch (reading.kind) {
    case "content":
      return passed(
        "rollbackPlan",
        `present (${reading.section.heading}, line ${reading.section.line})`,
        present,
      );
    case "missing":
      return failed(
        "rollbackPlan",
        `no ${title} section in the description (headings: ${headings.join(", ")})`,
        "rollback plan missing",
        { missing: "a rollback plan" },
      );
    case "empty":
      return failed("rollbackPlan", `the ${title} section is empty`, "rollback plan missing", {
        missing: "a rollback plan",
      });
    case "template":
      return failed(
        "rollbackPlan",
        `the ${title} section holds only template text (${reading.filler.join(", ")})`,
        "rollback plan missing",
        { missing: "a rollback plan" },
      );
    default:
      return assertNever(reading);
  }
}
