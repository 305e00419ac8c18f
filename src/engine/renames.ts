/**
 * A changed file judged by both of its names. A rename is infrastructure where either name is:
 * `infra/lb.tf` renamed to `infra/lb.tf.bak` (or moved under an excluded path) takes everything
 * it held out of the configuration, so it is the old file removed; `lb.tf.bak` renamed to `lb.tf`
 * puts all of it in, so it is the new file added. Judged by its new name alone, either would look
 * like no change to infrastructure at all.
 */
import { isInfraFile, type FileSelection } from "./select.js";

export interface ChangedFileSides {
  readonly path: string;
  readonly status: "added" | "removed" | "modified";
  /** Where a renamed file was at the merge base. */
  readonly previousPath?: string;
  /** Text at the merge base (at `previousPath` for a rename); null when added. */
  readonly before: string | null;
  /** Text at the head; null when removed. */
  readonly after: string | null;
}

/** The change the gate judges, or null when neither name (with its text) is infrastructure. */
export function infraChange(
  file: ChangedFileSides,
  selection: FileSelection,
): ChangedFileSides | null {
  const { previousPath } = file;
  if (previousPath === undefined || previousPath === file.path)
    return isInfraFile(file.path, file.after ?? file.before, selection) ? file : null;
  const was = isInfraFile(previousPath, file.before, selection);
  const is = isInfraFile(file.path, file.after, selection);
  if (was && is) return file;
  if (was) return { path: previousPath, status: "removed", before: file.before, after: null };
  if (is) return { path: file.path, status: "added", before: null, after: file.after };
  return null;
}
