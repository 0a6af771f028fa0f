import { describe, expect, it } from "vitest";
import { codeCookieValue, codeForPath, isCodeLinkPath } from "./code-cookie";

describe("the e-mailed link's code cookie", () => {
  it("gives the code back to the page of the link it came with", () => {
    const value = codeCookieValue("/requests/12", "abc_DEF-123");
    expect(codeForPath(value, "/requests/12")).toBe("abc_DEF-123");
  });

  it("gives nothing to another page, even one that starts alike", () => {
    const value = codeCookieValue("/requests/12", "abc");
    expect(codeForPath(value, "/requests/1")).toBeUndefined();
    expect(codeForPath(value, "/requests/123")).toBeUndefined();
    expect(codeForPath(value, "/profile/confirm-email")).toBeUndefined();
  });

  it("a missing or malformed cookie gives nothing", () => {
    expect(codeForPath(undefined, "/requests/12")).toBeUndefined();
    expect(codeForPath("garbage", "/requests/12")).toBeUndefined();
    expect(codeForPath("/requests/12|", "/requests/12")).toBeUndefined();
  });

  it("only the addresses e-mails link to carry codes", () => {
    expect(isCodeLinkPath("/requests/12")).toBe(true);
    expect(isCodeLinkPath("/profile/confirm-email")).toBe(true);
    expect(isCodeLinkPath("/requests")).toBe(false);
    expect(isCodeLinkPath("/login")).toBe(false);
    expect(isCodeLinkPath("/requests/12/x")).toBe(false);
  });
});
