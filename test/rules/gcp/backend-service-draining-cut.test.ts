import backendServiceDrainingCut from "../../../src/rules/gcp/backend-service-draining-cut.js";
import { ruleTable } from "../rule-table.js";
import { service } from "./builders.js";

ruleTable(backendServiceDrainingCut, {
  path: "lb.tf",
  cases: [
    {
      name: "global default 300 s → 5 s",
      before: service(""),
      after: service("  connection_draining_timeout_sec = 5"),
      expect: [
        {
          severity: "high",
          line: "connection_draining_timeout_sec = 5",
          phrase: "from 5 min to 5 s",
        },
      ],
    },
    {
      name: "300 s → 100 s: a large cut, under 5×",
      before: service("  connection_draining_timeout_sec = 300"),
      after: service("  connection_draining_timeout_sec = 100"),
      expect: [
        {
          severity: "medium",
          line: "connection_draining_timeout_sec = 100",
          phrase: "still running 100 s after",
        },
      ],
    },
    {
      name: "300 s → 60 s: cut by 5× is high (docs/risk.md)",
      before: service("  connection_draining_timeout_sec = 300"),
      after: service("  connection_draining_timeout_sec = 60"),
      expect: [
        {
          severity: "high",
          line: "connection_draining_timeout_sec = 60",
          phrase: "still running 60 s after",
        },
      ],
    },
    {
      name: "a regional service's explicit 300 s → 5 s",
      before: service(
        "  connection_draining_timeout_sec = 300",
        undefined,
        "google_compute_region_backend_service",
      ),
      after: service(
        "  connection_draining_timeout_sec = 5",
        undefined,
        "google_compute_region_backend_service",
      ),
      expect: [
        {
          severity: "high",
          line: "connection_draining_timeout_sec = 5",
          phrase: "from 5 min to 5 s",
        },
      ],
    },
    {
      name: "regional services default to 0: any value is a raise",
      before: service("", undefined, "google_compute_region_backend_service"),
      after: service(
        "  connection_draining_timeout_sec = 30",
        undefined,
        "google_compute_region_backend_service",
      ),
      expect: [],
    },
    {
      name: "a raise",
      before: service("  connection_draining_timeout_sec = 300"),
      after: service("  connection_draining_timeout_sec = 600"),
      expect: [],
    },
  ],
});
