// Splits one HAProxy configuration line into words.
// Rules of parse_line() in HAProxy's src/tools.c (manual §2.2 "Quoting and escaping"):
// - a line ends at LF or CR; "#" outside quotes starts a comment, even inside a word;
// - unquoted blanks separate words; "..." (weak) and '...' (strong) quotes may be glued to other text;
// - outside single quotes a backslash escapes space, "\", "#", quotes, "$" (inside double quotes), \t \n \r and \xHH;
//   any other backslash stays as written (`\.` in a regex);
// - environment variables ("${VAR}") are kept as written: the tree shows the file, not one machine's environment.

export interface HaproxyWord {
  readonly text: string;
  /** True when quotes were used, so an empty word is shown as `""`. */
  readonly quoted: boolean;
}

export type LineWords =
  | { readonly ok: true; readonly words: HaproxyWord[] }
  | { readonly ok: false; readonly message: string };

const BLANKS = new Set([" ", "\t", "\v", "\f"]);
const CONTROLS: Record<string, string> = { t: "\t", n: "\n", r: "\r" };

export function splitHaproxyLine(rawLine: string): LineWords {
  const cr = rawLine.indexOf("\r");
  const line = cr < 0 ? rawLine : rawLine.slice(0, cr);
  const words: HaproxyWord[] = [];
  let current = "";
  let inWord = false;
  let quoted = false;
  let squote = false;
  let dquote = false;
  const flush = (): void => {
    if (inWord) words.push({ text: current, quoted });
    current = "";
    inWord = false;
    quoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "#" && !squote && !dquote) break;
    if (ch === '"' && !squote) {
      dquote = !dquote;
      inWord = quoted = true;
      continue;
    }
    if (ch === "'" && !dquote) {
      squote = !squote;
      inWord = quoted = true;
      continue;
    }
    if (ch === "\\" && !squote) {
      const next = line[i + 1];
      inWord = true;
      if (
        next === " " ||
        next === "\\" ||
        next === "#" ||
        next === "'" ||
        next === '"' ||
        (next === "$" && dquote)
      ) {
        current += next;
        i++;
      } else if (next !== undefined && next in CONTROLS) {
        current += CONTROLS[next];
        i++;
      } else if (next === "x") {
        const hex = line.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex))
          return { ok: false, message: "truncated or invalid \\x hexadecimal sequence" };
        current += String.fromCharCode(parseInt(hex, 16));
        i += 3;
      } else {
        current += "\\";
      }
      continue;
    }
    if (BLANKS.has(ch) && !squote && !dquote) {
      flush();
      continue;
    }
    current += ch;
    inWord = true;
  }
  if (squote || dquote)
    return { ok: false, message: `unmatched ${squote ? "single" : "double"} quote` };
  flush();
  return { ok: true, words };
}
