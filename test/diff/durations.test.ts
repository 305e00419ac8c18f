import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { engineSettings } from "../../src/config/settings.js";
import { changeSet } from "../../src/gates/staleness.js";
import { policy } from "../gates/builders.js";

const NGINX = (timeout: string, size = "1m"): string =>
  `http {\n  client_max_body_size ${size};\n  server {\n    listen 80;\n    location / {\n      proxy_read_timeout ${timeout};\n      keepalive_timeout 75s ${timeout};\n      proxy_pass http://app;\n    }\n  }\n}\n`;

const HAPROXY = (server: string, inter: string): string =>
  `defaults\n  mode http\n  timeout connect 5s\n  timeout server ${server}\n\nbackend app\n  server web1 10.0.0.1:80 check inter ${inter}\n`;

const COMPOSE = (interval: string, image = "app:1m"): string =>
  `services:\n  web:\n    image: ${image}\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: ${interval}\n      timeout: 5s\n`;

const ENVOY = (timeout: string): string =>
  `static_resources:\n  clusters:\n    - name: app\n      connect_timeout: ${timeout}\n      type: STATIC\n      load_assignment:\n        cluster_name: app\n        endpoints:\n          - lb_endpoints:\n              - endpoint:\n                  address:\n                    socket_address: { address: 10.0.0.1, port_value: 80 }\n`;

const TRAEFIK = (interval: string): string =>
  `http:\n  services:\n    app:\n      loadBalancer:\n        healthCheck:\n          path: /health\n          interval: "${interval}"\n        servers:\n          - url: http://10.0.0.1:80\n`;

const EXPIRES = (expires: string): string =>
  `http {\n  server {\n    listen 80;\n    location /static {\n      expires ${expires};\n      root /srv;\n    }\n  }\n}\n`;

const CACHE_PATH = (size: string, inactive: string): string =>
  `http {\n  proxy_cache_path /cache keys_zone=one:10m max_size=${size} inactive=${inactive};\n  server {\n    listen 80;\n    location / {\n      proxy_cache one;\n      proxy_pass http://app;\n    }\n  }\n}\n`;

const STICK = (size: string): string =>
  `backend app\n  mode http\n  stick-table type ip size ${size} expire 30s\n  server web1 10.0.0.1:80 check\n`;

const BODY_SIZE = (size: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    nginx.ingress.kubernetes.io/proxy-body-size: "${size}"\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: a.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: web\n                port:\n                  number: 80\n`;

const changesOf = (path: string, before: string, after: string): string[] =>
  analyze([{ path, before, after }]).files[0]!.changes.map(
    (change) =>
      `${change.path}: ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`,
  );

describe("a duration written another way is no change", () => {
  it.each([
    ["nginx 60s = 1m (and in a token list)", "nginx.conf", NGINX("60s"), NGINX("1m")],
    ["nginx 10s = 10000ms", "nginx.conf", NGINX("10s"), NGINX("10000ms")],
    [
      "HAProxy 1h = 3600s, 2s = 2000ms",
      "haproxy.cfg",
      HAPROXY("1h", "2s"),
      HAPROXY("3600s", "2000ms"),
    ],
    ["compose 1m30s = 90s", "docker-compose.yml", COMPOSE("1m30s"), COMPOSE("90s")],
    ["Envoy 5s = 5.0s", "envoy.yaml", ENVOY("5s"), ENVOY("5.0s")],
    ["Traefik 1m = 60s", "traefik/dynamic.yml", TRAEFIK("1m"), TRAEFIK("60s")],
    [
      "HAProxy stick-table expire 1m = 60s",
      "haproxy.cfg",
      STICK("1m").replace("expire 30s", "expire 1m"),
      STICK("1m").replace("expire 30s", "expire 60s"),
    ],
    [
      "HAProxy tcp-request inspect-delay 1s = 1000ms",
      "haproxy.cfg",
      STICK("1m").replace("  server", "  tcp-request inspect-delay 1s\n  server"),
      STICK("1m").replace("  server", "  tcp-request inspect-delay 1000ms\n  server"),
    ],
    [
      "nginx expires 1M = 30d (a month, in a time directive)",
      "nginx.conf",
      EXPIRES("1M"),
      EXPIRES("30d"),
    ],
    [
      "nginx inactive=1m = inactive=60s (a time parameter beside a size one)",
      "nginx.conf",
      CACHE_PATH("1g", "1m"),
      CACHE_PATH("1g", "60s"),
    ],
  ])("%s", (_name, path, before, after) => {
    expect(changesOf(path, before, after)).toEqual([]);
  });
});

describe("values that are not the same duration still change", () => {
  it.each([
    // A bare number may be a size or a count: `1m` is one megabyte in client_max_body_size.
    [
      "nginx 1m → 60 (a size, no unit on one side)",
      "nginx.conf",
      NGINX("60s", "1m"),
      NGINX("60s", "60"),
    ],
    ["nginx 60s → 61s", "nginx.conf", NGINX("60s"), NGINX("61s")],
    // HAProxy reads a bare number as milliseconds, but it may be a count: left as a change.
    ["HAProxy 2s → 2000 (bare)", "haproxy.cfg", HAPROXY("30s", "2s"), HAPROXY("30s", "2000")],
    [
      "compose image tag app:1m → app:60s is not a duration",
      "docker-compose.yml",
      COMPOSE("30s", "app:1m"),
      COMPOSE("30s", "app:60s"),
    ],
    ["Envoy 5s → 5000ms (not a protobuf Duration)", "envoy.yaml", ENVOY("5s"), ENVOY("5000ms")],
    ["a generic file 60s → 1m", "notes.yaml", "wait: 60s\n", "wait: 1m\n"],
    // `m` and `M` are sizes too in nginx (megabytes): as durations 1M = 43200m, as sizes 43200×.
    ["nginx size 1M → 43200m", "nginx.conf", NGINX("60s", "1M"), NGINX("60s", "43200m")],
    [
      "nginx size 1m → 60s (no longer a size)",
      "nginx.conf",
      NGINX("60s", "1m"),
      NGINX("60s", "60s"),
    ],
    [
      "nginx max_size=1M → max_size=43200m beside inactive=",
      "nginx.conf",
      CACHE_PATH("1M", "60s"),
      CACHE_PATH("43200m", "60s"),
    ],
    // A literal that reads like a duration is no duration where no time is meant.
    [
      "nginx return 200 60s → 60000ms (a response body)",
      "nginx.conf",
      NGINX("60s").replace("proxy_pass", "return 200 60s;\n      proxy_pass"),
      NGINX("60s").replace("proxy_pass", "return 200 60000ms;\n      proxy_pass"),
    ],
    [
      "HAProxy ACL string 60s → 60000ms (a header it matches)",
      "haproxy.cfg",
      HAPROXY("30s", "2s").replace(
        "backend app",
        "frontend www\n  bind :80\n  http-request deny if { req.hdr(x-plan) -m str 60s }\n\nbackend app",
      ),
      HAPROXY("30s", "2s").replace(
        "backend app",
        "frontend www\n  bind :80\n  http-request deny if { req.hdr(x-plan) -m str 60000ms }\n\nbackend app",
      ),
    ],
    ["HAProxy stick-table size 1m (entries) → 60s", "haproxy.cfg", STICK("1m"), STICK("60s")],
    [
      "ingress-nginx proxy-body-size 1m (a size) → 60s",
      "k8s/ingress.yaml",
      BODY_SIZE("1m"),
      BODY_SIZE("60s"),
    ],
  ])("%s", (_name, path, before, after) => {
    expect(changesOf(path, before, after).length).toBeGreaterThan(0);
  });
});

describe("approval staleness", () => {
  const settings = engineSettings(policy());
  it("a reformatting of a duration (60s → 1m) keeps the change set", () => {
    const base = NGINX("30s");
    expect(changeSet([{ path: "nginx.conf", before: base, after: NGINX("1m") }], settings)).toEqual(
      changeSet([{ path: "nginx.conf", before: base, after: NGINX("60s") }], settings),
    );
  });
  it("a size written as the same number of seconds does not keep it (nginx 1M → 43200m)", () => {
    const base = NGINX("30s", "1k");
    expect(
      changeSet([{ path: "nginx.conf", before: base, after: NGINX("30s", "43200m") }], settings),
    ).not.toEqual(
      changeSet([{ path: "nginx.conf", before: base, after: NGINX("30s", "1M") }], settings),
    );
  });
  it("another duration changes it", () => {
    const base = NGINX("30s");
    expect(
      changeSet([{ path: "nginx.conf", before: base, after: NGINX("2m") }], settings),
    ).not.toEqual(changeSet([{ path: "nginx.conf", before: base, after: NGINX("60s") }], settings));
  });
});
