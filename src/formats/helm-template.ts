/**
 * Helm templates are YAML only after rendering. To still diff them semantically, template actions
 * are neutralised keeping line numbers: comments (`{{/* … *\/}}`, over several lines too) are
 * dropped, an action written over several lines is joined onto its first line, action-only lines
 * (`{{- if .x }}`, `{{ end }}`, `{{ include ... | nindent 4 }}`) become blank, and inline actions
 * become quoted placeholders. If the result is not YAML, the engine reports the template as
 * unreadable (`template.unreadable`).
 * Action syntax: https://pkg.go.dev/text/template#hdr-Actions
 */
const ACTION = /\{\{-?[\s\S]*?-?\}\}/g;
/** A line of actions and blanks only; an action's body never holds `}}` (else text between two actions would vanish). */
const ACTION_ONLY_LINE = /^\s*(?:\{\{(?:(?!\}\})[^\n])*\}\}\s*)+$/;

export function looksLikeTemplate(source: string): boolean {
  return source.includes("{{") && source.includes("}}");
}

export function neutraliseTemplate(source: string): string {
  return joinActions(source)
    .split("\n")
    .map((line) => {
      if (!line.includes("{{")) return line;
      if (ACTION_ONLY_LINE.test(line)) return "";
      // `key: {{ .Values.x }}` → `key: '{{ .Values.x }}'`; actions inside quotes stay as they are.
      const match = /^(\s*(?:-\s+)?[^'"\s#][^:#]*:\s+|\s*-\s+)(.*)$/.exec(line);
      if (match && match[2]!.includes("{{") && !/^['"]/.test(match[2]!)) {
        return `${placeholders(match[1]!)}'${match[2]!.replace(/'/g, "''")}'`;
      }
      return placeholders(line);
    })
    .join("\n");
}

/** Inline actions (`{{ .Values.name }}.pem:`) become plain placeholders of the action's length. */
function placeholders(text: string): string {
  return text.replace(ACTION, (action) => `__tpl_${action.length}__`);
}

/**
 * Drops template comments and writes every action on one line, keeping each line's number: the
 * newlines an action or a comment spanned follow it, so the text after it stays on its own line.
 * A comment that was alone on its lines leaves them blank.
 */
function joinActions(source: string): string {
  if (!source.includes("{{")) return source;
  let out = "";
  let index = 0;
  for (;;) {
    const open = source.indexOf("{{", index);
    if (open < 0) break;
    const close = actionEnd(source, open);
    if (close < 0) break; // an unclosed action: left as it is (the YAML parser will say where)
    out += source.slice(index, open);
    const action = source.slice(open, close);
    const newlines = action.split("\n").length - 1;
    if (isComment(action)) out += "\n".repeat(newlines);
    else out += action.replace(/\s*\n\s*/g, " ") + "\n".repeat(newlines);
    index = close;
  }
  return out + source.slice(index);
}

function isComment(action: string): boolean {
  return /^\{\{-?\s*\/\*/.test(action);
}

/** The index just past the `}}` that closes the action opened at `open`, or -1. */
function actionEnd(source: string, open: number): number {
  const start = open + 2;
  if (isComment(source.slice(open, open + 8))) {
    // A comment ends at `*/}}` (or `*/ -}}`); it may hold anything else, `}}` included.
    const end = /\*\/\s*-?\}\}/g;
    end.lastIndex = start;
    const found = end.exec(source);
    return found ? found.index + found[0].length : -1;
  }
  let i = start;
  while (i < source.length) {
    const ch = source[i];
    if (ch === "}" && source[i + 1] === "}") return i + 2;
    if (ch === '"' || ch === "'" || ch === "`") {
      // Strings and character constants may hold `}}`; raw strings may hold newlines.
      let j = i + 1;
      while (j < source.length && source[j] !== ch) {
        if (ch !== "`" && source[j] === "\\") j++;
        else if (ch !== "`" && source[j] === "\n") break;
        j++;
      }
      i = j + 1;
      continue;
    }
    i++;
  }
  return -1;
}
