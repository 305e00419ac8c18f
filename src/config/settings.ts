import picomatch from "picomatch";
import type { EngineSettings } from "../engine/settings.js";
import { compileCustomRule } from "../rules/custom.js";
import type { Policy } from "./policy.js";

/** The engine's view of a policy: rule settings, compiled custom rules, limits, forced formats. */
export function engineSettings(policy: Policy): EngineSettings {
  const formatMatchers = Object.entries(policy.files.formats).map(
    ([glob, format]) => [picomatch(glob, { dot: true }), format] as const,
  );
  return {
    rules: policy.rules,
    extraRules: policy.custom.map(compileCustomRule),
    maxFileBytes: policy.limits.maxFileBytes,
    maxTotalBytes: policy.limits.maxTotalBytes,
    formatOverride: (path) => formatMatchers.find(([matches]) => matches(path))?.[1],
  };
}
