import { formatSeconds } from "../model/figures.js";
import { defineRule } from "../types.js";
import { type Listener, listenersOf } from "../model/aws/listeners.js";
import { idleTimeoutChanges } from "../model/aws/load-balancers.js";
import { stringOf } from "../model/iac/settings.js";
import { transitionFindings } from "../model/transitions.js";

/**
 * AWS: "make sure that the value you set for the HTTP keep-alive time is greater than the idle timeout
 * setting configured for your load balancer" (Classic idle-timeout guide; same guidance for ALB). When
 * the backend closes an idle kept-alive connection first, the load balancer reuses a dead socket: 502.
 */
export default defineRule({
  id: "aws.load-balancer.idle-timeout-raised",
  family: "aws",
  title: "Load-balancer idle timeout raised above common backend keep-alives",
  description:
    "An Application or Classic load balancer's idle timeout is raised. Backends must keep idle connections " +
    "open longer than the load balancer does; a backend whose keep-alive is now shorter closes connections the " +
    "load balancer still reuses, which shows up as intermittent 502s. Medium when the new value passes a " +
    "common backend keep-alive (nginx: 75 s), low otherwise.",
  severity: "medium",
  params: {
    // nginx `keepalive_timeout` default 75 s (ngx_http_core_module): the most common server behind an ALB.
    commonKeepAliveSeconds: {
      default: 75,
      description:
        "A typical backend keep-alive timeout; raising the idle timeout past it risks 502s (seconds).",
    },
  },
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const listeners = listenersOf(file.dialect, file.after);
    return transitionFindings(idleTimeoutChanges(file), ({ after, was, now }) => {
      if (now <= was) return undefined;
      // HTTP keep-alive reuse only happens on HTTP(S) listeners; a TCP-only Classic ELB is not affected.
      if (after.classic && !servesHttp(listeners, after.key)) return undefined;
      const crosses = now > params.commonKeepAliveSeconds && was <= params.commonKeepAliveSeconds;
      return {
        severity: crosses ? "medium" : "low",
        message:
          `${after.label} idle timeout raised from ${formatSeconds(was)} to ${formatSeconds(now)}: every backend must ` +
          `now keep idle connections open longer than ${formatSeconds(now)}, or the load balancer reuses connections ` +
          "the backend already closed and returns intermittent 502s.",
        before: was,
        after: now,
        figures: { idleTimeoutSecondsBefore: was, idleTimeoutSeconds: now },
        checklist: [
          `Confirm the keep-alive timeout of every server behind ${after.label} (nginx keepalive_timeout, Node keepAliveTimeout, gunicorn --keep-alive) is above ${formatSeconds(now)}.`,
        ],
      };
    });
  },
});

/** Whether a Classic load balancer has a listener that is (or may be) HTTP or HTTPS. */
function servesHttp(listeners: readonly Listener[], owner: string): boolean {
  return listeners
    .filter((listener) => listener.classic && listener.owner === owner)
    .some((listener) => {
      const protocol = stringOf(listener.protocol)?.toUpperCase();
      return protocol === undefined || protocol === "HTTP" || protocol === "HTTPS";
    });
}
