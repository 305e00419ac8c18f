import { describe, expect, it } from "vitest";
import { detectDialect } from "../../src/formats/dialect.js";
import { parseToml } from "../../src/formats/toml.js";

const dialectOf = (source: string): string => {
  const result = parseToml(source);
  if (!result.ok) throw new Error("expected a tree");
  return detectDialect("conf/dynamic.toml", "toml", result.tree);
};

describe("Traefik TOML detection", () => {
  it("a dynamic file of TLS options only is Traefik", () => {
    expect(
      dialectOf('[tls.options]\n  [tls.options.modern]\n    minVersion = "VersionTLS13"\n'),
    ).toBe("traefik");
    expect(
      dialectOf(
        '[tls.stores]\n  [tls.stores.default]\n    [tls.stores.default.defaultCertificate]\n      certFile = "a.crt"\n',
      ),
    ).toBe("traefik");
  });

  it("a static configuration with api and providers is Traefik", () => {
    expect(
      dialectOf("[api]\n  insecure = true\n\n[providers.docker]\n  exposedByDefault = false\n"),
    ).toBe("traefik");
  });

  it("another program's [tls] table is not", () => {
    expect(dialectOf('[tls]\n  cert = "a.crt"\n  [tls.options]\n    verify = true\n')).toBe(
      "generic",
    );
    expect(dialectOf("[api]\n  port = 8080\n")).toBe("generic");
  });
});
