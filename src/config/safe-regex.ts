/**
 * Regular expressions from a policy file run on PR content, so a catastrophic-backtracking
 * pattern would let a PR stall the gate. We accept only patterns whose structure cannot backtrack
 * exponentially: no backreferences or lookarounds, and no quantified group that itself contains
 * a quantifier or an alternation (star height ≤ 1). Inputs are also capped in length where used.
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
