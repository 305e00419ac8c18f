import { RE2JS } from "re2js";

/**
 * Regular expressions from a policy file run on PR content, so a pattern that backtracks
 * (exponentially like `(a+)+`, or polynomially like `^\d+\.?\d+\.?\d+\.?\d+:\d+$` on a long run
 * of digits) would let a PR stall the gate and every repository the process serves. Policy
 * patterns therefore never run on JavaScript's backtracking engine: they run on RE2 (the `re2js`
 * port), whose matching time is linear in the input for every pattern it accepts
 * (https://github.com/google/re2/wiki/WhyRE2). A pattern RE2 cannot run (backreferences,
 * lookarounds) is refused. Patterns must also be valid ECMAScript, so what the docs and editors
 * show is what runs; and nested quantifiers stay refused, as before RE2, so a policy that passed
 * `validate-config` once still does.
 */
export function unsafeRegexReason(pattern: string): string | undefined {
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message}`;
  }
  if (pattern.length > 500) return "regular expression longer than 500 characters";
  if (/\\[1-9]|\\k</.test(pattern))
    return "backreferences are not allowed in policy regular expressions";
  if (/\(\?<?[=!]/.test(pattern))
    return "lookarounds are not allowed in policy regular expressions";
  // Walk groups: a group containing a quantifier or `|`, itself followed by a quantifier, is unsafe.
  const stack: { risky: boolean }[] = [{ risky: false }];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "[") {
      const end = classEnd(pattern, i);
      i = end;
      continue;
    }
    if (c === "(") {
      stack.push({ risky: false });
      continue;
    }
    if (c === ")") {
      const group = stack.pop();
      const parent = stack[stack.length - 1];
      if (!group || !parent) return "unbalanced parentheses";
      const next = pattern[i + 1];
      const quantified = next === "*" || next === "+" || next === "?" || next === "{";
      if (quantified && group.risky && next !== "?") {
        return "nested quantifiers (e.g. (a+)+ or (a|b)*) can take exponential time: simplify the pattern";
      }
      if (group.risky || quantified) parent.risky = true;
      continue;
    }
    if (c === "*" || c === "+" || c === "{" || c === "|") stack[stack.length - 1]!.risky = true;
  }
  try {
    compile(pattern);
  } catch (error) {
    return `the pattern cannot run on a linear-time engine (RE2): ${(error as Error).message}`;
  }
  return undefined;
}

function classEnd(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "]") return i;
  }
  return pattern.length;
}

/** Texts longer than this are cut before a policy regex runs on them. */
export const MAX_REGEX_INPUT = 10_000;

/** A match of a policy pattern: where it starts (UTF-16 index, as String#indexOf) and its text. */
export interface PolicyMatch {
  readonly index: number;
  readonly text: string;
}

/** A policy pattern compiled for RE2: linear-time search over at most MAX_REGEX_INPUT characters. */
export interface PolicyRegex {
  /** Whether the pattern matches anywhere in the text (like RegExp#test). */
  test(text: string): boolean;
  /**
   * Every match, left to right, not overlapping. `word` keeps only matches that are a whole
   * token: not preceded or followed by a character of `[\w-]` (a tracker key, not part of a word).
   */
  matches(text: string, options?: { word?: boolean }): PolicyMatch[];
}

/**
 * Compiles a pattern `unsafeRegexReason` accepted. Throws for one it refused (a bug: the policy is
 * validated before anything compiles it).
 */
export function policyRegex(pattern: string): PolicyRegex {
  const re = compile(pattern);
  // RE2 has linear-time lookbehinds but no lookahead: the token end is checked after the match.
  const word = compile(`(?<![\\w-])(?:${pattern})`, RE2JS.LOOKBEHINDS);
  return {
    test: (text) => re.test(text.slice(0, MAX_REGEX_INPUT)),
    matches: (text, options = {}) => {
      const input = text.slice(0, MAX_REGEX_INPUT);
      const matcher = (options.word ? word : re).matcher(input);
      const found: PolicyMatch[] = [];
      while (matcher.find()) {
        const start = matcher.start();
        const end = matcher.end();
        if (options.word && /[\w-]/.test(input.charAt(end))) continue;
        found.push({ index: start, text: input.slice(start, end) });
      }
      return found;
    },
  };
}

/** The ECMAScript pattern in RE2's syntax (`\d` and `\w` are ASCII in both; RE2's `\s` is ASCII only). */
function compile(pattern: string, flags = 0): RE2JS {
  return RE2JS.compile(RE2JS.translateRegExp(pattern), flags);
}
