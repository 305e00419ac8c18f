// Helm named templates (`templates/_helpers.tpl`) render into every manifest that includes them:
// a change there is infrastructure, read as a template Changegate cannot evaluate.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { couldBeInfraFile, isInfraFile } from "../../src/engine/select.js";

const selection = { include: [], exclude: [], formatOverride: () => undefined };

const helpers = (instance: string): string => `{{/*
Selector labels: Deployments select their Pods by these.
*/}}
{{- define "web.selectorLabels" -}}
app.kubernetes.io/name: web
app.kubernetes.io/instance: ${instance}
{{- end }}
`;

describe("Helm named templates", () => {
  it("are infrastructure in a chart's templates folder", () => {
    expect(
      isInfraFile("chart/templates/_helpers.tpl", helpers("{{ .Release.Name }}"), selection),
    ).toBe(true);
    expect(isInfraFile("chart/templates/shared/_labels.tpl", helpers("x"), selection)).toBe(true);
  });

  it("are infrastructure by their name alone (the loaders decide what to read from it)", () => {
    expect(isInfraFile("chart/templates/_helpers.tpl", "", selection)).toBe(true);
    expect(couldBeInfraFile("chart/templates/_helpers.tpl", selection)).toBe(true);
  });

  it("are not outside a templates folder", () => {
    expect(isInfraFile("docs/examples/_helpers.tpl", helpers("x"), selection)).toBe(false);
  });

  it("are reported when they change, as templates Changegate cannot read", () => {
    const analysis = analyze([
      {
        path: "chart/templates/_helpers.tpl",
        before: helpers("{{ .Release.Name }}"),
        after: helpers("{{ .Values.instance }}"),
      },
    ]);
    expect(
      analysis.findings.map((finding) => [finding.rule, finding.severity, finding.line]),
    ).toEqual([["template.unreadable", "medium", 6]]);
    expect(analysis.files[0]?.changes).toHaveLength(1);
    const same = helpers("{{ .Release.Name }}");
    expect(
      analyze([{ path: "chart/templates/_helpers.tpl", before: same, after: same }]).findings,
    ).toEqual([]);
  });
});
