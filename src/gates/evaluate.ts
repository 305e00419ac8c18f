import { CHECK_NAME, isPolicyFile, POLICY_FILE } from "../shared/names.js";
import {
  DEFAULT_POLICY,
  NOTHING,
  parsePolicy,
  type Policy,
  type PolicyProblem,
  type Requirement,
} from "../config/policy.js";
import { engineSettings } from "../config/settings.js";
import { analyze, type Analysis, type FileInput } from "../engine/analyze.js";
import type { EngineSettings } from "../engine/settings.js";
import { evaluateApprovals, type ApprovalsOutcome } from "./approvals.js";
import { evaluateChecklist, type ChecklistOutcome } from "./checklist.js";
import { evaluateCodeOwners } from "./code-owners.js";
import { evaluateEmergency, type EmergencyOutcome } from "./emergency.js";
import type { GateOutcome } from "./outcome.js";
import { evaluateRollbackPlan } from "./rollback-plan.js";
import { evaluateSchedule, type ScheduleOutcome } from "./schedule.js";
import type {
  ChecklistTick,
  EmergencyBinding,
  PullSnapshot,
  Pusher,
  SnapshotFile,
} from "./snapshot.js";
import { samePush } from "./snapshot.js";
import { changeSetId, changeSets, coverageOf, sameChangeAt, type ChangeSets } from "./staleness.js";
import { evaluateTeams } from "./teams.js";
import { evaluateTestPlan, type TestPlanOutcome } from "./test-plan.js";
import { buildTitle } from "./title.js";
import type { Evaluation, Verdict } from "./verdict.js";

/**
 * The pure gate layer: one pull-request snapshot in, the analysis and the verdict out.
 * Synchronous, no I/O. It never returns success for an evaluation that went wrong: an invalid
 * policy fails with `policy.invalid` (naming the key and line), anything unexpected with
 * `evaluation.failed`.
 */
export function evaluate(snapshot: PullSnapshot): Evaluation {
  try {
    return evaluatePull(snapshot);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failedEvaluation(snapshot, emptyAnalysis(), {
      code: "evaluation.failed",
      message: `Changegate could not evaluate this pull request (${reason}); re-run the check, and report the snapshot if it persists`,
    });
  }
}

/** What the App keeps between evaluations (the sticky comment's state), as the gates read it. */
export interface Recorded {
  readonly ticks: readonly ChecklistTick[];
  readonly override?: EmergencyBinding | null;
  readonly pushers?: readonly Pusher[];
}

/** The snapshot with what the App recorded: checklist ticks, the override's binding, pushers. */
export function withRecorded(snapshot: PullSnapshot, recorded: Recorded): PullSnapshot {
  return {
    ...snapshot,
    checklist: recorded.ticks,
    emergencyBinding: recorded.override ?? null,
    // GitHub's record of pushes (the loaders') and those the App was told of, each once.
    pushers: [...(snapshot.pushers ?? []), ...(recorded.pushers ?? [])].filter(
      (push, index, all) => all.findIndex((other) => samePush(other, push)) === index,
    ),
  };
}

/** What an evaluation takes from the engine, for one pull request's files, revisions and policy. */
interface EngineView {
  readonly policyText: string | null;
  readonly revisions: PullSnapshot["revisions"];
  readonly context: PullSnapshot["context"];
  readonly headSha: string;
  readonly settings: EngineSettings;
  readonly analysis: Analysis;
  readonly sets: ChangeSets;
}

const engineViews = new WeakMap<readonly SnapshotFile[], EngineView>();

/**
 * The engine's part of an evaluation, worked out once: the App evaluates the same snapshot again
 * with other recorded state (an override's binding, checklist ticks), which the engine never reads.
 */
function engineView(snapshot: PullSnapshot, policy: Policy): EngineView {
  const known = engineViews.get(snapshot.files);
  if (
    known &&
    known.policyText === (snapshot.policy ?? null) &&
    known.revisions === snapshot.revisions &&
    known.context === snapshot.context &&
    known.headSha === snapshot.pull.headSha
  )
    return known;
  const settings = engineSettings(policy);
  // The unchanged files beside the change are for the cross-file rules only: the change set
  // (staleness, ticks, the override) reads the changed files' analysis alone.
  const analysis = analyze(fileInputs(snapshot), settings, snapshot.context ?? []);
  const view: EngineView = {
    policyText: snapshot.policy ?? null,
    revisions: snapshot.revisions,
    context: snapshot.context,
    headSha: snapshot.pull.headSha,
    settings,
    analysis,
    sets: changeSets(snapshot, settings, analysis),
  };
  engineViews.set(snapshot.files, view);
  return view;
}

function evaluatePull(snapshot: PullSnapshot): Evaluation {
  // 1. The base branch's policy; an invalid one fails the check, naming the key and the line.
  const parsed = parsePolicy(snapshot.policy);
  if (!parsed.ok) return policyFailure(snapshot, parsed.problems);
  const policy = parsed.policy;
  // 2–3. The engine's view of the policy; every infrastructure file parsed, diffed and judged;
  // the semantic change set now, which approvals, checklist ticks and the override are tied to.
  const { settings, analysis, sets } = engineView(snapshot, policy);
  // 4. What the risk requires (risk `none`: nothing).
  const requirement = analysis.risk === "none" ? null : policy.requirements[analysis.risk];
  const required = requirement ?? NOTHING;
  const changeSet = changeSetId(sets.now);
  const sameChange = sameChangeAt(sets);
  // 5. Approvals: who counts, who blocks, which approvals went stale.
  const approvals = evaluateApprovals({
    author: snapshot.pull.author,
    reviews: snapshot.reviews,
    commits: snapshot.commits ?? [],
    pushers: snapshot.pushers ?? [],
    sameChange,
    required: required.approvals,
    allowContributors: policy.approvals.allowContributors,
    coverage: coverageOf(snapshot, policy.approvals.invalidateOn, settings, sets),
  });
  // 6. Required teams, each approved by a member.
  const teams = evaluateTeams(required.teams, approvals.counted, snapshot.teams);
  // 7. Code owners of every changed infrastructure file.
  const codeOwners = evaluateCodeOwners({
    required: required.codeOwners,
    paths: changedPaths(snapshot.files),
    codeowners: snapshot.codeowners,
    emails: snapshot.codeownerEmails,
    counted: approvals.counted,
    teams: snapshot.teams,
  });
  // 8. A test plan with a link, and 9. a rollback plan, in the description.
  const testPlan = evaluateTestPlan(snapshot.pull.body, policy, required.testPlan);
  const rollbackPlan = evaluateRollbackPlan(snapshot.pull.body, policy, required.rollbackPlan);
  // 10. The rule-generated checklist, ticked by writers.
  const checklist = evaluateChecklist(
    analysis.findings,
    snapshot.checklist ?? [],
    required.checklist,
    {
      author: snapshot.pull.author,
      allowAuthor: policy.checklist.allowAuthor,
      changeSet,
      headSha: snapshot.pull.headSha,
    },
  );
  // 11. The emergency override label.
  const emergency = evaluateEmergency(
    snapshot.pull.labels,
    snapshot.labelEvents ?? [],
    policy.emergency,
    {
      recorded: snapshot.emergencyBinding ?? null,
      changeSet,
      headSha: snapshot.pull.headSha,
      sameChange,
    },
  );
  // 12. Change windows and freezes, at the time of the evaluation (a merged PR: at its merge, the
  // instant the windows and freezes held it to); the accepted override bypasses them.
  const accepted = analysis.risk !== "none" && emergency.override?.accepted === true;
  const schedule = evaluateSchedule(
    policy,
    analysis.risk,
    (snapshot.pull.merged && snapshot.pull.mergedAt) || snapshot.evaluatedAt,
    accepted ? emergency.override!.by : null,
  );
  // 13. The verdict: conclusion and title from the gate results.
  const verdict = buildVerdict(snapshot, analysis, requirement, changeSet, {
    approvals,
    gates: [
      approvals,
      teams,
      codeOwners,
      testPlan,
      rollbackPlan,
      checklist,
      ...(schedule ? [schedule] : []),
    ],
    schedule,
    testPlan,
    checklist,
    emergency,
  });
  return {
    analysis,
    verdict,
    maxSuggestions: policy.suggestions.maxComments,
    ...truncation(snapshot),
  };
}

interface GateOutcomes {
  readonly approvals: ApprovalsOutcome;
  /** Every gate but the emergency override, in display order. */
  readonly gates: readonly GateOutcome[];
  readonly testPlan: TestPlanOutcome;
  readonly checklist: ChecklistOutcome;
  readonly emergency: EmergencyOutcome;
  /** Null: the policy declares no window or freeze. */
  readonly schedule: ScheduleOutcome | null;
}

function buildVerdict(
  snapshot: PullSnapshot,
  analysis: Analysis,
  requirement: Requirement | null,
  changeSet: string,
  outcomes: GateOutcomes,
): Verdict {
  const override = outcomes.emergency.override;
  const overridden = analysis.risk !== "none" && override?.accepted === true;
  const shortfalls = outcomes.gates.flatMap((gate) =>
    gate.result.status === "fail" ? [gate.shortfall ?? gate.result.detail] : [],
  );
  const success = analysis.risk === "none" || overridden || shortfalls.length === 0;
  return {
    conclusion: success ? "success" : "failure",
    title: buildTitle({
      risk: analysis.risk,
      draft: snapshot.pull.draft,
      shortfalls,
      ...(overridden ? { overriddenBy: override.by } : {}),
      refusedOverride: outcomes.emergency.result.status === "fail",
    }),
    risk: analysis.risk,
    draft: snapshot.pull.draft,
    requirement,
    gates: [...outcomes.gates, outcomes.emergency].map((gate) => gate.result),
    approvals: outcomes.approvals.approvals,
    checklist: outcomes.checklist.items,
    emergency: override,
    testPlanLinks: outcomes.testPlan.links,
    policyChanged: changesPolicy(snapshot),
    changeSet,
    checkRequired: checkRequired(snapshot),
    // A closed or merged PR waits for no window: the gate's verdict stays (the merge record keeps it).
    ...(outcomes.schedule
      ? snapshot.pull.state === "closed"
        ? { reopensAt: null, closesAt: null }
        : {
            reopensAt: outcomes.schedule.reopensAt,
            closesAt: outcomes.schedule.closesAt ?? null,
          }
      : {}),
  };
}

function policyFailure(snapshot: PullSnapshot, problems: readonly PolicyProblem[]): Evaluation {
  // The changes are still analyzed (with the defaults) so the report shows them; the check fails.
  const analysis = analyze(
    fileInputs(snapshot),
    engineSettings(DEFAULT_POLICY),
    snapshot.context ?? [],
  );
  return failedEvaluation(snapshot, analysis, {
    code: "policy.invalid",
    message: policyMessage(snapshot.policyPath ?? POLICY_FILE, problems),
  });
}

/** ".github/changegate.yml line 3: requirements.high.approvals: expected number" (+ how many more). */
export function policyMessage(file: string, problems: readonly PolicyProblem[]): string {
  const first = problems[0];
  if (!first) return `${file}: invalid`;
  const where = first.path === "(file)" || first.path === "(root)" ? "" : `${first.path}: `;
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more; run changegate validate-config)` : "";
  return `${file} line ${first.line}: ${where}${first.message}${more}`;
}

function failedEvaluation(
  snapshot: PullSnapshot,
  analysis: Analysis,
  error: NonNullable<Verdict["error"]>,
): Evaluation {
  const verdict: Verdict = {
    conclusion: "failure",
    title: buildTitle({ risk: analysis.risk, draft: snapshot.pull.draft, shortfalls: [], error }),
    risk: analysis.risk,
    draft: snapshot.pull.draft,
    requirement: null,
    gates: [],
    approvals: [],
    checklist: [],
    emergency: null,
    testPlanLinks: [],
    policyChanged: changesPolicy(snapshot),
    checkRequired: checkRequired(snapshot),
    error,
  };
  return { analysis, verdict, ...truncation(snapshot) };
}

const truncation = (snapshot: PullSnapshot): { contextTruncated?: true } =>
  snapshot.contextTruncated ? { contextTruncated: true } : {};

function emptyAnalysis(): Analysis {
  return { risk: "none", files: [], findings: [] };
}

/**
 * The changed files as the engine reads them. A custom policy file (`policyFile`) is read as a
 * policy whatever it now holds, as `.github/changegate.yml` is by its name (src/formats/dialect.ts):
 * emptied or rewritten, its change is still `generic.policy.changed`.
 */
function fileInputs(snapshot: PullSnapshot): FileInput[] {
  const { policyFile } = snapshot;
  return snapshot.files.map((file) => {
    const input = { path: file.path, before: file.before, after: file.after };
    const isPolicy =
      policyFile !== undefined && (file.path === policyFile || file.previousPath === policyFile);
    return isPolicy ? { ...input, dialect: "changegate-policy" } : input;
  });
}

/** Paths the change touches: a renamed file under both names (owners of either must agree). */
function changedPaths(files: readonly SnapshotFile[]): string[] {
  return files.flatMap((file) =>
    file.previousPath ? [file.path, file.previousPath] : [file.path],
  );
}

/**
 * The PR edits the policy file (the default names, and the custom file the policy is read from):
 * it is still judged by the base branch's policy.
 */
function changesPolicy(snapshot: PullSnapshot): boolean {
  const paths = [...changedPaths(snapshot.files), ...(snapshot.otherFiles ?? [])];
  return paths.some((path) => isPolicyFile(path, snapshot.policyFile));
}

/** Whether the base branch requires the Changegate check (null: unknown). */
function checkRequired(snapshot: PullSnapshot): boolean | null {
  if (snapshot.requiredChecks === null || snapshot.requiredChecks === undefined) return null;
  return snapshot.requiredChecks.includes(CHECK_NAME);
}
