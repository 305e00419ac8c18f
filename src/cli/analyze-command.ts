import { analyze, type Analysis } from "../engine/analyze.js";
import { engineSettings } from "../config/settings.js";
import { CONTEXT_BOUNDS, localContext, type LocalContext } from "../git/context.js";
import { checkRefs, localChange } from "../git/local.js";
import { plural } from "../rules/message.js";
import type { Severity } from "../rules/severity.js";
import type { CliIo } from "./io.js";
import { exitCodeFor, renderAnalysis, type OutputFormat } from "./output.js";
import { repositoryPolicy } from "./policy-file.js";
import { progressOn } from "./progress.js";

export interface AnalyzeOptions {
  readonly repo: string;
  readonly base: string;
  readonly head: string;
  readonly config?: string;
  readonly format: OutputFormat;
  readonly threshold?: Severity;
}

/** `changegate analyze`: a branch's infrastructure changes under the base's policy; the exit code. */
export async function analyzeCommand(options: AnalyzeOptions, io: CliIo): Promise<number> {
  const { repo, base, head } = options;
  await checkRefs(repo, { "--base": base, "--head": head });
  const { policy, said } = await repositoryPolicy(repo, base, options.config);
  const settings = engineSettings(policy);
  const selection = { ...policy.files, formatOverride: settings.formatOverride };
  const progress = progressOn(io);
  let analysis: Analysis;
  let context: LocalContext;
  try {
    const inputs = await localChange(repo, base, head, selection, progress.step("read"));
    context = await localContext(repo, head, inputs, selection);
    analysis = analyze(inputs, settings, context.files, progress.step("analyzed"));
  } finally {
    // Also before an error's line, which would otherwise end the progress line.
    progress.clear();
  }
  // After the work: a run that fails says one line, the failure.
  io.err(`changegate: policy: ${said}\n`);
  if (context.skipped > 0) io.err(`changegate: ${boundedContext(context.skipped)}\n`);
  io.out(renderAnalysis(analysis, options.format));
  return exitCodeFor(analysis, options.threshold);
}

function boundedContext(skipped: number): string {
  const one = skipped === 1;
  return `context bounded to ${CONTEXT_BOUNDS.maxFiles} files and ${CONTEXT_BOUNDS.maxBytes / 1024 / 1024} MB: ${plural(skipped, "more file", "more files")} beside the changes ${one ? "was" : "were"} not read, so cross-file rules did not see ${one ? "it" : "them"}`;
}
