// ELB security policies by their lowest TLS version, from the policy-family table in docs/lb-facts.md §2
// (AWS "protocols by policy" tables). `legacyCiphers`: the Ext/Ext1/Ext2 variants that add
// CBC and RSA-key-exchange suites.

export interface TlsPolicy {
  readonly name: string;
  /** Lowest protocol accepted: 0 = SSLv3, 1.0, 1.1, 1.2, 1.3. */
  readonly floor: number;
  readonly legacyCiphers: boolean;
}

/** When a listener has no policy, the API, CLI, CloudFormation and Terraform use this one (docs/lb-facts.md §2). */
export const DEFAULT_POLICY = "ELBSecurityPolicy-2016-08";

export function tlsPolicy(name: string): TlsPolicy | undefined {
  const legacyCiphers = /-Ext\d?-/i.test(name);
  const versioned = /^ELBSecurityPolicy-(?:TLS13|TLS|FS)-1-([0-3])(?:-|$)/i.exec(name);
  if (versioned) return { name, floor: 1 + Number(versioned[1]) / 10, legacyCiphers };
  if (/^ELBSecurityPolicy-FS-2018-06$/i.test(name)) return { name, floor: 1.0, legacyCiphers };
  const dated = /^ELBSecurityPolicy-(\d{4})-(\d{2})$/i.exec(name);
  if (dated) {
    // Policies before 2014-10 (the POODLE response) still accept SSLv3.
    const sslv3 = Number(dated[1]) * 100 + Number(dated[2]) < 201410;
    return { name, floor: sslv3 ? 0 : 1.0, legacyCiphers };
  }
  return undefined;
}

/** "TLS 1.0", "SSLv3". */
export function protocolName(floor: number): string {
  return floor === 0 ? "SSLv3" : `TLS ${floor.toFixed(1)}`;
}
