import type { Figure } from "./figures.js";

/** Who runs the check; decides defaults, validity rules and how the eject time is derived. */
export type CheckProvider =
  | "aws-elbv2"
  | "aws-elb"
  | "aws-lbc"
  | "gcp"
  | "azure"
  | "haproxy"
  | "nginx"
  | "nginx-plus"
  | "envoy"
  | "traefik"
  | "kubernetes";

/** How a provider validates timeout against interval (docs/lb-facts.md §7 "Hard validity rules"). */
export type TimeoutRule = "below-interval" | "at-most-interval" | "none";

/** One active health check (or passive failure detector), normalised across formats. */
export interface HealthCheck {
  /** Stable identity across the two versions of the file. */
  readonly key: string;
  /** How a reviewer names it: `target group "webapp"`, `server web1 of backend app`. */
  readonly label: string;
  readonly provider: CheckProvider;
  /** Tree path and line of the check (the block or the server line). */
  readonly path: string;
  readonly line: number;
  readonly intervalSeconds?: Figure | undefined;
  readonly timeoutSeconds?: Figure | undefined;
  readonly unhealthyThreshold?: Figure | undefined;
  readonly healthyThreshold?: Figure | undefined;
  /** Derived: seconds of failing checks before the target is taken out (undefined if unknowable). */
  readonly ejectAfterSeconds?: number | undefined;
  readonly timeoutRule: TimeoutRule;
  /** Kubernetes probes: what failing does (readiness: out of endpoints; liveness/startup: restart). */
  readonly probe?: "readiness" | "liveness" | "startup";
  /** Where the provider documents the defaults used for missing fields. */
  readonly defaultsSource?: string;
}
