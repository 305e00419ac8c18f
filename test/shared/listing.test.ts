import { describe, expect, it } from "vitest";
import { listing } from "../../src/shared/listing.js";

describe("listing", () => {
  it("joins with commas and a last 'and' or 'or'", () => {
    expect(listing([])).toBe("");
    expect(listing(["a"])).toBe("a");
    expect(listing(["a", "b"])).toBe("a and b");
    expect(listing(["a", "b", "c"], "or")).toBe("a, b or c");
  });
});
