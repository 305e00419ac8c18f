import backendServiceBackendRemoved from "../../../src/rules/gcp/backend-service-backend-removed.js";
import { ruleTable } from "../rule-table.js";
import { GROUP_A, backend, service } from "./builders.js";

const GROUP_B = "google_compute_instance_group_manager.b.instance_group";

const GROUP_C = "google_compute_instance_group_manager.c.instance_group";

const GROUP_D = "google_compute_instance_group_manager.d.instance_group";

ruleTable(backendServiceBackendRemoved, {
  path: "lb.tf",
  cases: [
    {
      name: "one of three backends removed",
      before: service("", [backend(GROUP_A), backend(GROUP_B), backend(GROUP_C)]),
      after: service("", [backend(GROUP_A), backend(GROUP_B)]),
      expect: [
        {
          severity: "high",
          line: 'resource "google_compute_backend_service"',
          phrase: "loses 1 of 3 backends",
        },
      ],
    },
    {
      name: "one of four backends removed",
      before: service("", [backend(GROUP_A), backend(GROUP_B), backend(GROUP_C), backend(GROUP_D)]),
      after: service("", [backend(GROUP_A), backend(GROUP_B), backend(GROUP_C)]),
      expect: [
        {
          severity: "medium",
          line: 'resource "google_compute_backend_service"',
          phrase: "25% of traffic",
        },
      ],
    },
    {
      name: "capacity_scaler 0 drains a backend",
      before: service("", [backend(GROUP_A), backend(GROUP_B)]),
      after: service("", [backend(GROUP_A), backend(GROUP_B, "capacity_scaler = 0")]),
      expect: [{ severity: "high", line: "capacity_scaler = 0", phrase: "scaled to capacity 0" }],
    },
    {
      name: "the last backend goes",
      before: service("", [backend(GROUP_A)]),
      after: service("", []),
      expect: [
        {
          severity: "high",
          line: 'resource "google_compute_backend_service"',
          phrase: "every request fails",
        },
      ],
    },
    {
      name: "a backend swapped for another group",
      before: service("", [backend(GROUP_A), backend(GROUP_B)]),
      after: service("", [backend(GROUP_A), backend(GROUP_C)]),
      expect: [
        {
          severity: "medium",
          line: 'resource "google_compute_backend_service"',
          phrase: "swaps backend",
        },
      ],
    },
    {
      name: "backends reordered",
      before: service("", [backend(GROUP_A), backend(GROUP_B)]),
      after: service("", [backend(GROUP_B), backend(GROUP_A)]),
      expect: [],
    },
    {
      name: "dynamic backends cannot be judged",
      before: service("", [backend(GROUP_A), backend(GROUP_B)]),
      after: service("", [
        '  dynamic "backend" {\n    for_each = var.groups\n    content {\n      group = backend.value\n    }\n  }',
      ]),
      expect: [],
    },
  ],
});
