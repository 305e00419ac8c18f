import { LINK_FORMS } from "../config/schema.js";
import { policyRegex } from "../rules/policy-regex.js";
import type { Policy } from "../config/policy.js";
import { assertNever } from "../shared/assert-never.js";
import { failed, notRequired, passed, type GateOutcome } from "./outcome.js";
import {
  bestReading,
  findSections,
  isPlaceholderUrl,
  trimUrl,
  URL_PATTERN,
  type SectionReading,
} from "./pr-body.js";

export type LinkForm = (typeof LINK_FORMS)[number];

export type PlanPolicy = Pick<Policy, "testPlan" | "rollbackPlan">;

export interface TestPlanOutcome extends GateOutcome {
  /** The links found in the test-plan section, in the order written (verdict.testPlanLinks). */
  readonly links: readonly string[];
}

/** The test-plan gate: a section under one of the policy's headings that links to evidence. */
export function evaluateTestPlan(
  body: string,
  policy: PlanPolicy,
  required: boolean,
): TestPlanOutcome {
  const { headings, links: forms, trackerKeyPattern } = policy.testPlan;
  const sections = findSections(body, headings, planLabels(policy));
  const reading = bestReading(
    sections,
    (text) => findLinks(text, forms, trackerKeyPattern).length > 0,
  );
  const links = reading.kind === "content" ? findLinks(reading.text, forms, trackerKeyPattern) : [];
  const title = `"${headings[0]!}"`;
  if (links.length > 0) {
    const detail = `linked: ${links.slice(0, 5).join(", ")}${links.length > 5 ? ` and ${links.length - 5} more` : ""}`;
    return {
      ...(required
        ? passed("testPlan", detail)
        : notRequired("testPlan", `not required; ${detail}`)),
      links,
    };
  }
  if (!required) return { ...notRequired("testPlan", "not required at this risk"), links };
  const problem = missingTestPlan(reading, title, headings, forms);
  return {
    ...failed("testPlan", problem.detail, problem.shortfall, { missing: "a linked test plan" }),
    links,
  };
}

function missingTestPlan(
  reading: SectionReading,
  title: string,
  headings: readonly string[],
  forms: readonly LinkForm[],
): { detail: string; shortfall: string } {
  switch (reading.kind) {
    case "missing":
      return {
        detail: `no ${title} section in the description (headings: ${headings.join(", ")})`,
        shortfall: "test plan missing",
      };
    case "empty":
      return { detail: `the ${title} section is empty`, shortfall: "test plan missing" };
    case "template":
      return {
        detail: `the ${title} section holds only template text (${reading.filler.join(", ")})`,
        shortfall: "test plan missing",
      };
    case "content":
      return {
        detail: `the ${title} section has no link to evidence (accepted: ${forms.map(describeForm).join(", ")})`,
        shortfall: "test plan has no link",
      };
    default:
      return assertNever(reading);
  }
}

function describeForm(form: LinkForm): string {
  switch (form) {
    case "url":
      return "a URL";
    case "issue":
      return "#123";
    case "cross-repo-issue":
      return "owner/repo#123";
    case "tracker-key":
      return "a tracker key such as OPS-42";
    default:
      return assertNever(form);
  }
}

/** Headings that also count in the informal `Label:` form (they end each other's sections). */
export function planLabels(policy: PlanPolicy): string[] {
  return [...policy.testPlan.headings, ...policy.rollbackPlan.headings];
}

interface FoundLink {
  readonly index: number;
  readonly text: string;
}

/** Tokens shaped like tracker keys that are standards and algorithms, not tickets. */
const NOT_TRACKER_KEYS = /^(?:SHA|UTF|ISO|TLS|SSL|HTTP|IPV|RFC|AES|RSA|ECDSA|CVE)\d*-/;

/**
 * Links of the accepted forms, in the order written, each once. URLs are taken out first so
 * `#123` inside a URL is not read twice; the policy's tracker-key pattern runs on RE2, in linear
 * time, over at most MAX_REGEX_INPUT characters (src/rules/policy-regex.ts).
 */
export function findLinks(
  text: string,
  forms: readonly LinkForm[],
  trackerKeyPattern: string,
): string[] {
  const found: FoundLink[] = [];
  let rest = text;
  const take = (
    pattern: RegExp,
    form: LinkForm,
    accept: (match: string) => string | null,
  ): void => {
    rest = rest.replace(pattern, (match: string, ...args: unknown[]) => {
      const index = args.find((arg): arg is number => typeof arg === "number")!;
      const link = accept(match);
      if (link !== null && forms.includes(form)) found.push({ index, text: link });
      return " ".repeat(match.length);
    });
  };
  take(new RegExp(URL_PATTERN.source, "g"), "url", (url) => {
    const trimmed = trimUrl(url);
    return isPlaceholderUrl(trimmed) ? null : trimmed;
  });
  take(
    /(?<![\w./-])[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}#\d{1,10}(?!\w)/g,
    "cross-repo-issue",
    (ref) => ref,
  );
  take(/(?<![\w&#./-])#\d{1,10}(?!\w)/g, "issue", (ref) => (/^#0+$/.test(ref) ? null : ref));
  if (forms.includes("tracker-key")) {
    for (const match of policyRegex(trackerKeyPattern).matches(rest, { word: true })) {
      if (match.text !== "" && !NOT_TRACKER_KEYS.test(match.text)) found.push(match);
    }
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.index - b.index)
    .map((link) => link.text)
    .filter((link) => !seen.has(link) && Boolean(seen.add(link)));
}
