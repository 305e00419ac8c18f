// Policy regular expressions (custom rules' `matches`, the test plan's tracker key) run on RE2, the
// `re2js` port, whose matching time is linear in the input for every pattern it accepts
// (https://github.com/google/re2/wiki/WhyRE2); src/config/safe-regex.ts says which patterns a
// policy may hold.
import { RE2JS } from "re2js";

/** Texts longer than this are cut before their matches are listed (`matches`, the PR body's tracker keys). */
export const MAX_REGEX_INPUT = 10_000;

/** A match of a policy pattern: where it starts (UTF-16 index, as String#indexOf) and its text. */
export interface PolicyMatch {
  readonly index: number;
  readonly text: string;
}

/** A policy pattern compiled for RE2: linear-time search. */
export interface PolicyRegex {
  /**
   * Whether the pattern matches anywhere in the text (like RegExp#test), the whole text: a custom
   * rule must see a match however far into a value it is written, and a value is bounded by the
   * file limits (`limits.maxFileBytes`), RE2's time by its length.
   */
  test(text: string): boolean;
  /**
   * Every match, left to right, not overlapping. `word` keeps only matches that are a whole
   * token: not preceded or followed by a character of `[\w-]` (a tracker key, not part of a word).
   */
  matches(text: string, options?: { word?: boolean }): PolicyMatch[];
}

/**
 * Compiles a pattern `unsafeRegexReason` (src/config/safe-regex.ts) accepted. Throws for one it refused (a bug: the policy is
 * validated before anything compiles it).
 */
export function policyRegex(pattern: string): PolicyRegex {
  const re = compilePolicyPattern(pattern);
  // RE2 has linear-time lookbehinds but no lookahead: the token end is checked after the match.
  let word: RE2JS | undefined;
  const wordRegex = (): RE2JS =>
    (word ??= compilePolicyPattern(`(?<![\\w-])(?:${pattern})`, RE2JS.LOOKBEHINDS));
  return {
    test: (text) => re.test(text),
    matches: (text, options = {}) => {
      const input = text.slice(0, MAX_REGEX_INPUT);
      const matcher = (options.word ? wordRegex() : re).matcher(input);
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
export function compilePolicyPattern(pattern: string, flags = 0): RE2JS {
  return RE2JS.compile(RE2JS.translateRegExp(pattern), flags);
}
