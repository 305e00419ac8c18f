import { describe, expect, it } from "vitest";
import { evaluateEmergency } from "../../src/gates/emergency.js";
import type { LabelEvent } from "../../src/gates/snapshot.js";
import { labeled, policy } from "./builders.js";

const LABEL = "changegate:emergency";

describe("evaluateEmergency", () => {
  const cases: {
    name: string;
    labels: string[];
    events: LabelEvent[];
    policy?: string;
    status: string;
    detail: string;
    accepted: boolean | null;
  }[] = [
    {
      name: "no label",
      labels: ["bug"],
      events: [labeled("dave", "admin")],
      status: "not-required",
      detail: "no emergency override",
      accepted: null,
    },
    {
      name: "applied by a maintainer",
      labels: [LABEL],
      events: [labeled("mona", "maintain")],
      status: "pass",
      detail: "overridden by @mona (maintain) with changegate:emergency",
      accepted: true,
    },
    {
      name: "applied by a writer",
      labels: [LABEL],
      events: [labeled("eve", "write")],
      status: "fail",
      detail: "applied by @eve (write); only admin, maintain may override",
      accepted: false,
    },
    {
      name: "the latest application counts: a writer re-applied it after an admin",
      labels: [LABEL],
      events: [
        labeled("dave", "admin"),
        { ...labeled("dave", "admin"), action: "unlabeled" },
        labeled("eve", "write"),
      ],
      status: "fail",
      detail: "applied by @eve (write); only admin, maintain may override",
      accepted: false,
    },
    {
      name: "an admin re-applied it after a writer",
      labels: [LABEL],
      events: [labeled("eve", "write"), labeled("dave", "admin")],
      status: "pass",
      detail: "overridden by @dave (admin) with changegate:emergency",
      accepted: true,
    },
    {
      name: "events for other labels do not count",
      labels: [LABEL, "urgent"],
      events: [labeled("eve", "write"), labeled("dave", "admin", "urgent")],
      status: "fail",
      detail: "applied by @eve (write); only admin, maintain may override",
      accepted: false,
    },
    {
      name: "the label is set but nobody is known to have set it",
      labels: [LABEL],
      events: [],
      status: "fail",
      detail: "label changegate:emergency is set but who applied it is unknown; it is not accepted",
      accepted: null,
    },
    {
      name: "a policy that lets writers override, with its own label",
      labels: ["hotfix"],
      events: [labeled("eve", "write", "hotfix")],
      policy: "emergency: { label: hotfix, allowed: [admin, maintain, write] }\n",
      status: "pass",
      detail: "overridden by @eve (write) with hotfix",
      accepted: true,
    },
  ];

  it.each(cases)("$name", ({ labels, events, policy: policyText, status, detail, accepted }) => {
    // Each accepted label here was bound to the change set when it was applied (see below).
    const latest = events.filter((event) => event.action !== "unlabeled").at(-1);
    const recorded = latest
      ? { actor: latest.actor, createdAt: latest.createdAt ?? null, changeSet: "c0" }
      : null;
    const outcome = evaluateEmergency(labels, events, policy(policyText ?? null).emergency, {
      recorded,
      changeSet: "c0",
    });
    expect(outcome.result).toMatchObject({ gate: "emergency", status, detail });
    expect(outcome.override?.accepted ?? null).toBe(accepted);
  });
});
