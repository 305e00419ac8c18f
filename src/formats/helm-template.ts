/**
 * Helm templates are YAML only after rendering. To still diff them semantically, template actions
 * are neutralised line by line (keeping line numbers): action-only lines (`{{- if .x }}`, `{{ end }}`,
 * `{{ include ... | nindent 4 }}`) become blank, and inline actions become quoted placeholders.
 * If the result is not YAML, the file is analyzed as text.
 */
const ACTION = /\{\{-?[\s\S]*?-?\}\}/g;
const ACTION_ONLY_LINE = /^\s*(\{\{-?[\s\S]*?-?\}\}\s*)+$/;

export function looksLikeTemplate(source: string): boolean {
  return source.includes("{{") && source.includes("}}");
}

export function neutraliseTemplate(source: string): string {
  return source
    .split("\n")
    .map((line) => {
      if (!line.includes("{{")) return line;
      if (ACTION_ONLY_LINE.test(line)) return "";
      // `key: {{ .Values.x }}` → `key: '{{ .Values.x }}'`; actions inside quotes stay as they are.
      const match = /^(\s*(?:-\s+)?[^'"\s#][^:#]*:\s+|\s*-\s+)(.*)$/.exec(line);
      if (match && match[2]!.includes("{{") && !/^['"]/.test(match[2]!)) {
        return `${match[1]}'${match[2]!.replace(/'/g, "''")}'`;
      }
      return line.replace(ACTION, (action) => `__tpl_${action.length}__`);
    })
    .join("\n");
}
