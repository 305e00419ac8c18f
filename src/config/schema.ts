import { z } from "zod";
import { FORCEABLE_FORMATS } from "../formats/types.js";
import { SEVERITIES } from "../rules/severity.js";

// The one schema of `.github/changegate.yml`. docs/changegate.schema.json is generated from it
// (`npm run docs`), and docs/configuration.md documents every key.

/**
 * What a value must be, in the words of `validate-config` ("expected a glob, got 5"), where the
 * schema's own shape would say it less well. A registry of our own, so the JSON Schema is unchanged.
 */
export const expectations = z.registry<{ readonly expected: string; readonly plural?: string }>();

const severity = z.enum(SEVERITIES);
const glob = z
  .string()
  .min(1)
  .describe("A glob matched against the repository path (picomatch, dotfiles included).")
  .register(expectations, { expected: "a glob", plural: "globs" });

export const ruleSettingSchema = z
  .object({
    enabled: z.boolean().optional().describe("false turns the rule off."),
    severity: severity.optional().describe("Report every finding of this rule at this severity."),
    params: z
      .record(
        z.string(),
        z
          .union([z.number(), z.string(), z.boolean()])
          .register(expectations, { expected: "a number, a string, true or false" }),
      )
      .register(expectations, { expected: "a mapping from parameter name to value" })
      .optional()
      .describe("Thresholds of the rule (see docs/rules.md for each rule's parameters)."),
  })
  .strict();

export const CUSTOM_CONDITIONS = [
  "added",
  "removed",
  "changed",
  "increased",
  "decreased",
  "above",
  "below",
  "matches",
] as const;

export const customRuleSchema = z
  .object({
    id: z
      .string()
      .regex(/^custom\.[a-z0-9][a-z0-9.-]*$/)
      .describe("Stable id, `custom.` followed by your name for it.")
      .register(expectations, {
        expected: "`custom.` followed by lowercase letters, digits, dots and dashes",
      }),
    files: z.union([glob, z.array(glob).min(1)]).describe("Which files the rule reads."),
    path: z
      .string()
      .min(1)
      .describe(
        "Key path pattern: dotted keys, `*` for one segment, `**` for any number, `[name=web]` for a list item.",
      ),
    when: z
      .enum(CUSTOM_CONDITIONS)
      .describe("What about the value at the path makes the rule fire."),
    value: z
      .union([z.number(), z.string()])
      .optional()
      .describe(
        "The bound for `above`/`below` (a number) or the regular expression for `matches`.",
      ),
    severity: severity.describe("Severity of the finding."),
    message: z
      .string()
      .min(1)
      .describe("What the finding says; `{path}`, `{before}` and `{after}` are filled in."),
    checklist: z
      .array(z.string().min(1))
      .default([])
      .describe("Items a reviewer must tick (at levels that require the checklist)."),
  })
  .strict()
  .superRefine(
    (rule, context) => {
      // `params.expected` is what validate-config says the value must be ("expected …, got …").
      if ((rule.when === "above" || rule.when === "below") && typeof rule.value !== "number") {
        context.addIssue({
          code: "custom",
          path: ["value"],
          message: `a number is required when \`when\` is ${rule.when}`,
          params: { expected: `a number (the bound of \`when: ${rule.when}\`)` },
        });
      }
      if (rule.when === "matches" && typeof rule.value !== "string") {
        context.addIssue({
          code: "custom",
          path: ["value"],
          message: "a regular expression (string) is required when `when` is matches",
          params: { expected: "a regular expression (a string) for `when: matches`" },
        });
      }
    },
    // Checked even when other keys of the rule are wrong, so one run reports every problem.
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

export const requirementSchema = z
  .object({
    approvals: z
      .number()
      .int()
      .min(0)
      .max(20)
      .optional()
      .describe("Approvals from distinct writers who did not author the change."),
    teams: z
      .array(
        z
          .string()
          .regex(/^[^/\s]+\/[^/\s]+$/)
          .register(expectations, { expected: "`org/team-slug`", plural: "`org/team-slug` names" }),
      )
      .optional()
      .describe("Teams (`org/slug`) each of which must approve."),
    codeOwners: z
      .boolean()
      .optional()
      .describe("An approval from a code owner of every changed infrastructure file."),
    testPlan: z.boolean().optional().describe("A test-plan section with a link in the PR body."),
    rollbackPlan: z
      .boolean()
      .optional()
      .describe("A non-empty rollback-plan section in the PR body."),
    checklist: z
      .boolean()
      .optional()
      .describe("Every rule-generated checklist item ticked by a writer."),
  })
  .strict();

const riskLevel = z.enum(["low", "medium", "high", "critical"]);

const timeZone = z
  .string()
  .min(1)
  .describe("An IANA time zone name (Europe/Berlin, America/New_York, UTC).")
  .register(expectations, { expected: "an IANA time zone name such as Europe/Berlin" });

const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/)
  .register(expectations, {
    expected: "a local date YYYY-MM-DD or date and time YYYY-MM-DDTHH:MM",
  });

const changeWindow = z
  .string()
  .min(1)
  .describe(
    'Days, a time span and an optional zone: "Mon-Thu 09:00-16:00 Europe/Berlin" (end exclusive; a span past midnight belongs to its start day).',
  )
  .register(expectations, {
    expected: 'a window such as "Mon-Thu 09:00-16:00 Europe/Berlin"',
    plural: "windows",
  });

export const freezeSchema = z
  .object({
    from: localDateTime.describe("Start, local to the zone: YYYY-MM-DD or YYYY-MM-DDTHH:MM."),
    to: localDateTime.describe(
      "End (exclusive), local to the zone; a date alone includes that whole day.",
    ),
    reason: z.string().min(1).describe("Why: the check names it while the freeze holds."),
    risk: riskLevel
      .default("low")
      .describe("The lowest risk the freeze holds (default low: every change with risk)."),
    timeZone: timeZone.optional().describe("The zone of from and to (default: `timeZone`)."),
  })
  .strict();

const windowsOfLevel = z.union([changeWindow, z.array(changeWindow).min(1)]);

export const LINK_FORMS = ["url", "issue", "cross-repo-issue", "tracker-key"] as const;

export const policySchema = z
  .object({
    _extends: z
      .string()
      .optional()
      .describe("Inherit from another repository's policy (Probot config convention)."),
    files: z
      .object({
        include: z
          .array(glob)
          .default([])
          .describe("Extra files to treat as infrastructure configuration."),
        exclude: z.array(glob).default([]).describe("Files never analyzed."),
        formats: z
          .record(glob, z.enum(FORCEABLE_FORMATS))
          .register(expectations, { expected: "a mapping from glob to format" })
          .default({})
          .describe("Force a format for matching files."),
      })
      .strict()
      .default({ include: [], exclude: [], formats: {} }),
    rules: z
      .record(z.string(), ruleSettingSchema)
      .register(expectations, { expected: "a mapping from rule id to its settings" })
      .default({})
      .describe("Per-rule settings, by rule id."),
    custom: z
      .array(customRuleSchema)
      .register(expectations, { expected: "a list of custom rules" })
      .default([])
      .describe("Your own rules."),
    requirements: z
      .object({
        low: requirementSchema,
        medium: requirementSchema,
        high: requirementSchema,
        critical: requirementSchema,
      })
      .partial()
      .strict()
      .default({})
      .describe("What each risk level requires; given keys override that level's defaults."),
    testPlan: z
      .object({
        headings: z.array(z.string().min(1)).min(1).default(["Test plan", "Testing"]),
        links: z
          .array(z.enum(LINK_FORMS))
          .min(1)
          .default([...LINK_FORMS])
          .describe("Which link forms count."),
        trackerKeyPattern: z
          .string()
          .default("[A-Z][A-Z0-9]+-\\d+")
          .describe("Regular expression of a tracker key such as OPS-42."),
      })
      .strict()
      .default({
        headings: ["Test plan", "Testing"],
        links: [...LINK_FORMS],
        trackerKeyPattern: "[A-Z][A-Z0-9]+-\\d+",
      }),
    rollbackPlan: z
      .object({
        headings: z.array(z.string().min(1)).min(1).default(["Rollback plan", "Rollback"]),
      })
      .strict()
      .default({ headings: ["Rollback plan", "Rollback"] }),
    emergency: z
      .object({
        label: z.string().min(1).default("changegate:emergency"),
        allowed: z
          .array(z.enum(["admin", "maintain", "write"]))
          .min(1)
          .default(["admin", "maintain"]),
      })
      .strict()
      .default({ label: "changegate:emergency", allowed: ["admin", "maintain"] }),
    approvals: z
      .object({
        invalidateOn: z.enum(["infra-change", "any-push", "never"]).default("infra-change"),
        allowContributors: z.boolean().default(false),
      })
      .strict()
      .default({ invalidateOn: "infra-change", allowContributors: false }),
    checklist: z
      .object({
        allowAuthor: z
          .boolean()
          .default(false)
          .describe("Count the pull request author's own checklist ticks as acknowledgement."),
      })
      .strict()
      .default({ allowAuthor: false }),
    timeZone: timeZone
      .default("UTC")
      .describe("The zone of the freezes and windows that name none (default UTC)."),
    freezes: z
      .array(freezeSchema)
      .register(expectations, { expected: "a list of freezes" })
      .default([])
      .describe("Declared change freezes: no change at or above their risk from `from` to `to`."),
    windows: z
      .object({
        low: windowsOfLevel,
        medium: windowsOfLevel,
        high: windowsOfLevel,
        critical: windowsOfLevel,
      })
      .partial()
      .strict()
      .default({})
      .describe(
        "When changes of each risk may go in; a level without its own window takes the nearest lower level's. Risk none is never held.",
      ),
    suggestions: z
      .object({
        maxComments: z
          .number()
          .int()
          .min(0)
          .max(50)
          .default(10)
          .describe(
            "Most suggested-fix review comments on one head (0: none). A finding whose safe edit is one line the pull request changed is offered as a GitHub suggestion.",
          ),
      })
      .strict()
      .default({ maxComments: 10 })
      .describe(
        "Suggested fixes posted as review comments (needs the Pull requests: write permission).",
      ),
    limits: z
      .object({
        maxFileBytes: z
          .number()
          .int()
          .min(1024)
          .max(52_428_800)
          .default(1_048_576)
          .describe("Files larger than this are not analyzed (file.too-large)."),
        maxTotalBytes: z
          .number()
          .int()
          .min(1024)
          .max(268_435_456)
          .default(16_777_216)
          .describe(
            "Bytes one evaluation analyzes in all; files beyond the budget are not analyzed (evaluation.budget).",
          ),
      })
      .strict()
      .default({ maxFileBytes: 1_048_576, maxTotalBytes: 16_777_216 }),
  })
  .strict();

export type PolicyInput = z.input<typeof policySchema>;
export type ParsedPolicy = z.output<typeof policySchema>;
export type CustomRuleSpec = z.output<typeof customRuleSchema>;
export type RequirementInput = z.output<typeof requirementSchema>;
