// The proxies' duration syntax advice and fixes write through, and the ranges they respect (docs/lb-facts.md "Product
// limits the advice respects").
import { describe, expect, it } from "vitest";
import {
  envoyDuration,
  haproxyTime,
  NGINX_SECONDS_ONLY,
  nginxTime,
} from "../../../src/rules/model/proxy-durations.js";
import { CHECK_LIMITS, clampTo, PROXY_LIMITS, within } from "../../../src/rules/model/limits.js";
import { haproxySeconds, nginxSeconds, protoSeconds } from "../../../src/rules/model/durations.js";

describe("haproxyTime", () => {
  it("writes whole numbers in HAProxy's units", () => {
    expect(haproxyTime(180)).toBe("3m");
    expect(haproxyTime(90)).toBe("90s");
    expect(haproxyTime(1.5)).toBe("1500ms");
    expect(haproxyTime(7200)).toBe("2h");
    expect(haproxyTime(0.0005)).toBe("500us");
  });

  it("writes nothing above HAProxy's maximum", () => {
    const { max } = PROXY_LIMITS.haproxy.timeMilliseconds;
    expect(haproxyTime(max / 1000)).toBe(`${max}ms`);
    expect(haproxyTime((max + 1) / 1000)).toBeUndefined();
    expect(haproxyTime(30 * 86_400)).toBeUndefined();
  });

  it("reads back as the same duration", () => {
    for (const seconds of [0.1, 1, 1.5, 90, 180, 3600, 5400, 86_400])
      expect(haproxySeconds(haproxyTime(seconds)!)).toBeCloseTo(seconds, 6);
  });
});

describe("nginxTime", () => {
  it("keeps fail_timeout in whole seconds, which is all nginx accepts there", () => {
    expect(NGINX_SECONDS_ONLY.has("fail_timeout")).toBe(true);
    expect(nginxTime(5, "fail_timeout")).toBe("5s");
    expect(nginxTime(0.5, "fail_timeout")).toBeUndefined();
    expect(nginxTime(0.5, "proxy_read_timeout")).toBe("500ms");
    expect(nginxTime(120)).toBe("2m");
  });

  it("reads back as the same duration", () => {
    for (const seconds of [0.25, 1, 90, 120, 3600])
      expect(nginxSeconds(nginxTime(seconds)!)).toBeCloseTo(seconds, 6);
  });
});

describe("envoyDuration", () => {
  it("writes a protobuf Duration: seconds with an s suffix, never ms", () => {
    expect(envoyDuration(5)).toBe("5s");
    expect(envoyDuration(0.25)).toBe("0.25s");
    expect(envoyDuration(0.000000001)).toBe("0.000000001s");
    expect(envoyDuration(PROXY_LIMITS.envoy.durationSeconds.max + 1)).toBeUndefined();
    for (const seconds of [0.25, 5, 90])
      expect(protoSeconds(envoyDuration(seconds)!)).toBe(seconds);
  });
});

describe("ranges", () => {
  it("holds counts inside the product's range", () => {
    expect(within(100, PROXY_LIMITS.envoy.percent)).toBe(true);
    expect(within(101, PROXY_LIMITS.envoy.percent)).toBe(false);
    expect(within(Number.NaN, PROXY_LIMITS.envoy.percent)).toBe(false);
    expect(within(0, CHECK_LIMITS.haproxy!.unhealthyThreshold)).toBe(false);
    expect(clampTo(0, CHECK_LIMITS.haproxy!.unhealthyThreshold, true)).toBe(1);
    expect(clampTo(150, PROXY_LIMITS.envoy.percent, true)).toBe(100);
    expect(clampTo(0, CHECK_LIMITS["nginx-plus"]!.unhealthyThreshold, true)).toBe(1);
  });
});
