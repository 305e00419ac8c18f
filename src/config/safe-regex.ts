import { compilePolicyPattern } from "../rules/policy-regex.js";

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
    // V8 says "Invalid regular expression: /PATTERN/u: What": the pattern is already named.
    const what = (error as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, "");
    return `invalid regular expression: ${what.charAt(0).toLowerCase()}${what.slice(1)}`;
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
    compilePolicyPattern(pattern);
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
