/**
 * Helm templates are YAML only after rendering. To still diff them semantically, template actions
 * are neutralised keeping line numbers: comments (`{{/* … *\/}}`, over several lines too) are
 * dropped, an action written over several lines is joined onto its first line, action-only lines
 * (`{{- if .x }}`, `{{ end }}`, `{{ include ... | nindent 4 }}`) become blank, a value holding
 * actions is quoted whole (the tree keeps their text), and other inline actions (in a key, inside a
 * quoted string) become placeholders of their length. The lines whose actions the tree loses are
 * `hiddenActionLines`: a change there is reported (`template.action-changed`). If the result is
 * not YAML, the engine reports the template as unreadable (`template.unreadable`).
 * Action syntax: https://pkg.go.dev/text/template#hdr-Actions
 */
const ACTION = /\{\{-?[\s\S]*?-?\}\}/g;
/** A line of actions and blanks only; an action's body never holds `}}` (else text between two actions would vanish). */
const ACTION_ONLY_LINE = /^\s*(?:\{\{(?:(?!\}\})[^\n])*\}\}\s*)+$/;

export function looksLikeTemplate(source: string): boolean {
  return source.includes("{{") && source.includes("}}");
}

export function neutraliseTemplate(source: string): string {
  return neutralisedLines(joinActions(source).text)
    .map((line) => line.text)
    .join("\n");
}

/**
 * The lines (1-based) of a template that hold an action the neutralised text does not show: an
 * action-only line is blank and an inline action a placeholder of its length, so a change there
 * (`{{- if .Values.enabled }}` → `{{- if false }}`) is in no tree. Comments are not actions.
 */
export function hiddenActionLines(source: string): Set<number> {
  const { text, spans } = joinActions(source);
  const hidden = new Set<number>();
  neutralisedLines(text).forEach((line, index) => {
    if (!line.hides) return;
    const last = spans.get(index + 1) ?? index + 1;
    for (let number = index + 1; number <= last; number++) hidden.add(number);
  });
  return hidden;
}

/** Each joined line neutralised, and whether an action's text was lost doing it. */
function neutralisedLines(joined: string): { text: string; hides: boolean }[] {
  return joined.split("\n").map((line) => {
    if (!line.includes("{{")) return { text: line, hides: false };
    if (ACTION_ONLY_LINE.test(line)) return { text: "", hides: true };
    // `key: {{ .Values.x }}` → `key: '{{ .Values.x }}'`: the value keeps the action's text.
    const match = /^(\s*(?:-\s+)?[^'"\s#][^:#]*:\s+|\s*-\s+)(.*)$/.exec(line);
    if (match && match[2]!.includes("{{") && !/^['"]/.test(match[2]!)) {
      const key = placeholders(match[1]!);
      return { text: `${key}'${match[2]!.replace(/'/g, "''")}'`, hides: key !== match[1] };
    }
    const text = placeholders(line);
    return { text, hides: text !== line };
  });
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
function joinActions(source: string): { text: string; spans: Map<number, number> } {
  /** First line → last line of each action written over several lines. */
  const spans = new Map<number, number>();
  if (!source.includes("{{")) return { text: source, spans };
  let out = "";
  let index = 0;
  let line = 1;
  for (;;) {
    const open = source.indexOf("{{", index);
    if (open < 0) break;
    const close = actionEnd(source, open);
    if (close < 0) break; // an unclosed action: left as it is (the YAML parser will say where)
    out += source.slice(index, open);
    line += newlinesIn(source.slice(index, open));
    const action = source.slice(open, close);
    const newlines = newlinesIn(action);
    if (isComment(action)) out += "\n".repeat(newlines);
    else {
      out += action.replace(/\s*\n\s*/g, " ") + "\n".repeat(newlines);
      if (newlines > 0) spans.set(line, Math.max(spans.get(line) ?? line, line + newlines));
    }
    line += newlines;
    index = close;
  }
  return { text: out + source.slice(index), spans };
}

function newlinesIn(text: string): number {
  return text.split("\n").length - 1;
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
