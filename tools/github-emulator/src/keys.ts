/** An RSA key for Probot to sign its App JWT with (the emulator accepts any JWT). */
import { generateKeyPairSync } from "node:crypto";

let cached: string | undefined;

/** A 2048-bit RSA private key in PKCS#1 PEM, generated once per process. */
export function testPrivateKey(): string {
  cached ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  }).privateKey;
  return cached;
}
