import { describe, expect, it } from "vitest";
import { readClearCode } from "./list-mailbox";
import { scrubSecrets } from "./scrub-secrets";

describe("the mailbox's copyable code", () => {
  it("is any template's code prop while it is in clear", () => {
    expect(readClearCode({ props: { requestId: 4, code: "Abc-123_x" } })).toBe("Abc-123_x");
    expect(readClearCode({ props: { batchId: 2, code: "batch-code" } })).toBe("batch-code");
  });

  it("is gone once the code was erased, and absent from e-mails without one", () => {
    const props = { code: "Abc-123_x", link: "https://x.test/requests/4?token=Abc-123_x" };
    expect(readClearCode({ props: scrubSecrets(props) })).toBeNull();
    expect(readClearCode({ props: { code: "[sent]" } })).toBeNull();
    expect(readClearCode({ props: { requestId: 4, outcome: "done" } })).toBeNull();
    expect(readClearCode({ props: { code: 1234 } })).toBeNull();
  });
});
