// "Did you mean" for a mistyped policy key, rule id or parameter: the known names one or two typos away.
import { listing } from "../shared/listing.js";

/**
 * Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`: the optimal
 * string alignment form of the Damerau–Levenshtein distance.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many typos a word of this length may hold and still be recognised: about one in three characters, 1 to 4. */
function tolerance(word: string): number {
  return Math.min(4, Math.max(1, Math.floor(word.length / 3)));
}

/**
 * The known names closest to `word` (ignoring case), within the word's tolerance; several only
 * when they tie. A rule id written without its family prefix (`detection-too-fast`) finds the
 * one id that ends with it.
 */
export function nearest(word: string, known: Iterable<string>): string[] {
  const typed = word.toLowerCase();
  const names = [...new Set(known)].filter((name) => name !== word);
  const suffixed = names.filter(
    (name) => typed.length > 0 && name.toLowerCase().endsWith(`.${typed}`),
  );
  if (suffixed.length === 1) return suffixed;
  let best = tolerance(word) + 1;
  let found: string[] = [];
  for (const name of names) {
    const distance = editDistance(typed, name.toLowerCase());
    if (distance < best) {
      best = distance;
      found = [name];
    } else if (distance === best) found.push(name);
  }
  return found.slice(0, 3);
}

/** ` (did you mean "files"?)`, or "" when no known name is near. */
export function didYouMean(word: string, known: Iterable<string>): string {
  return suggest(nearest(word, known));
}

/** ` (did you mean "a" or "b"?)` for the names given, or "" for none. */
export function suggest(names: readonly string[]): string {
  if (names.length === 0) return "";
  return ` (did you mean ${listing(names.map((name) => JSON.stringify(name)), "or")}?)`;
}
