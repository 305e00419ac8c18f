/**
 * A changed file judged by both of its names. A rename is infrastructure where either name is:
 * `infra/lb.tf` renamed to `infra/lb.tf.bak` (or moved under an excluded path) takes everything
 * it held out of the configuration, so it is the old file removed; `lb.tf.bak` renamed to `lb.tf`
 * puts all of it in, so it is the new file added. Judged by its new name alone, either would look
 * like no change to infrastructure at all. Renamed between two infrastructure names of different
 * formats (`lb.tf` → `lb.yaml`), the old text cannot be compared with the new one, so it is both:
 * the old file removed and the new one added.
 */
import { detectFormat } from "../formats/index.js";
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

/** The changes the gate judges: none when neither name (with its text) is infrastructure. */
export function infraChange(
  file: ChangedFileSides,
  selection: FileSelection,
): readonly ChangedFileSides[] {
  const { previousPath } = file;
  if (previousPath === undefined || previousPath === file.path)
    return isInfraFile(file.path, file.after ?? file.before, selection) ? [file] : [];
  const was = isInfraFile(previousPath, file.before, selection);
  const is = isInfraFile(file.path, file.after, selection);
  const removed: ChangedFileSides = {
    path: previousPath,
    status: "removed",
    before: file.before,
    after: null,
  };
  const added: ChangedFileSides = {
    path: file.path,
    status: "added",
    before: null,
    after: file.after,
  };
  if (was && is)
    return detectFormat(previousPath, file.before) === detectFormat(file.path, file.after)
      ? [file]
      : [removed, added];
  if (was) return [removed];
  if (is) return [added];
  return [];
}
