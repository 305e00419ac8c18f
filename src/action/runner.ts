/**
 * What the Action tells the runner: workflow commands on stdout (annotations, errors), step
 * outputs in `$GITHUB_OUTPUT` and the job summary in `$GITHUB_STEP_SUMMARY`
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands).
 * The formatting is pure; `RunnerFiles` appends to the files the runner names.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import type { Annotation, CheckRunOutput } from "../render/check-run.js";

/** Message text of a workflow command: `%`, CR and LF are escaped (the runner decodes them). */
const escapeData = (value: string): string =>
  value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/** A property value: as the message, and `:` and `,`, which separate properties. */
const escapeProperty = (value: string): string =>
  escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function workflowCommand(
  name: "error" | "warning" | "notice",
  message: string,
  properties: Readonly<Record<string, string | number>> = {},
): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

const COMMAND_OF: Record<Annotation["annotation_level"], "error" | "warning" | "notice"> = {
  failure: "error",
  warning: "warning",
  notice: "notice",
};

/** The check run's annotations as workflow commands (shown on the workflow run's page). */
export function annotationCommands(annotations: readonly Annotation[]): string[] {
  return annotations.map((annotation) =>
    workflowCommand(COMMAND_OF[annotation.annotation_level], annotation.message, {
      file: annotation.path,
      line: annotation.start_line,
      endLine: annotation.end_line,
      title: annotation.title,
    }),
  );
}

/** The job summary: the check run's text, under a heading per pull request. */
export function summaryMarkdown(
  sections: readonly { readonly heading: string; readonly output: CheckRunOutput }[],
): string {
  return sections
    .map(({ heading, output }) =>
      [`## ${heading}: ${output.title}`, "", output.summary, "", output.text, ""].join("\n"),
    )
    .join("\n");
}

/**
 * Step outputs in the runner's multi-line form (`name<<DELIMITER`, value, `DELIMITER`), with a
 * delimiter no value contains.
 */
export function outputLines(outputs: Readonly<Record<string, string>>): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      let delimiter = `ghadelimiter_${randomUUID()}`;
      while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join("");
}

/** The files the runner reads after the step; an unset one is skipped (a local run). */
export class RunnerFiles {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  setOutputs(outputs: Readonly<Record<string, string>>): void {
    const file = this.env.GITHUB_OUTPUT;
    if (file) appendFileSync(file, outputLines(outputs));
  }

  addSummary(markdown: string): void {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (file) appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
  }
}
