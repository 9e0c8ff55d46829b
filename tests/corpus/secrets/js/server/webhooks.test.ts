import { describe, expect, it, vi } from "vitest";
import { verifySignature } from "./webhooks";

const secret = "whsec_test_" + "x".repeat(24);
const mockToken = vi.fn().mockReturnValue("mock-access-token");

describe("verifySignature", () => {
  it("accepts a valid signature", () => {
    expect(verifySignature("{}", "t=1,v1=abc", secret)).toBe(false);
  });
  it("uses the token from the vault client", () => {
    expect(mockToken()).toBe("mock-access-token");
  });
});
