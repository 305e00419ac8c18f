import { describe, expect, it } from "vitest";
import { detectFormat } from "../../src/formats/index.js";

describe("detectFormat", () => {
  it.each([
    ["infra/lb.tf", "", "hcl"],
    ["env/prod.tfvars", "", "hcl"],
    ["stack.tf.json", "{}", "json"],
    ["k8s/deploy.yml", "", "yaml"],
    ["traefik.toml", "", "toml"],
    ["etc/haproxy/haproxy.cfg", "", "haproxy"],
    ["lb.cfg", "global\n  maxconn 10\nbackend app\n", "haproxy"],
    ["sites/app.conf", "server {\n  listen 80;\n}\n", "nginx"],
    ["snippets/tls.conf", "ssl_protocols TLSv1.2 TLSv1.3;\nssl_ciphers HIGH:!aNULL;\n", "nginx"],
    ["nginx.conf", "", "nginx"],
  ])("%s → %s", (path, content, format) => {
    expect(detectFormat(path, content)).toBe(format);
  });

  it.each([["README.md"], ["app.py"], ["settings.conf"]])(
    "%s is not a config Changegate reads",
    (path) => {
      expect(detectFormat(path, "key=value\n")).toBeUndefined();
    },
  );
});
