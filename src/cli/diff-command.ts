import { analyze } from "../engine/analyze.js";
import { engineSettings } from "../config/settings.js";
import type { Format } from "../formats/types.js";
import type { Severity } from "../rules/severity.js";
import { checkPair } from "./diff-inputs.js";
import { readSide, type CliIo } from "./io.js";
import { exitCodeFor, renderAnalysis, type OutputFormat } from "./output.js";
import { loadPolicyFile } from "./policy-file.js";

export interface DiffOptions {
  readonly as?: Format;
  readonly format: OutputFormat;
  readonly config?: string;
  readonly threshold?: Severity;
}

/** `changegate diff BEFORE AFTER`: one file pair through the engine; resolves to the exit code. */
export async function diffCommand(
  beforePath: string,
  afterPath: string,
  options: DiffOptions,
  io: CliIo,
): Promise<number> {
  const policy = await loadPolicyFile(options.config);
  const [before, after] = await Promise.all([readSide(beforePath), readSide(afterPath)]);
  const note = checkPair({ path: beforePath, text: before }, { path: afterPath, text: after });
  if (note !== undefined) io.err(`changegate: ${note}\n`);
  const path = after !== null ? afterPath : beforePath;
  const analysis = analyze(
    [{ path, before, after, ...(options.as ? { format: options.as } : {}) }],
    engineSettings(policy),
  );
  io.out(renderAnalysis(analysis, options.format));
  return exitCodeFor(analysis, options.threshold);
}
