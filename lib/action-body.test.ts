import { describe, expect, it } from "vitest";
import { areArgumentsWellFormed, checkActionBody } from "./action-body";

const MAX = 1024 * 1024;

async function check(
  body: string | FormData,
  { isAction = true, contentType = "text/plain;charset=UTF-8" } = {},
) {
  if (body instanceof FormData) {
    const request = new Request("http://x/", { method: "POST", body });
    return checkActionBody({
      body: await request.arrayBuffer(),
      contentType: request.headers.get("content-type") ?? "",
      isAction,
      maxBytes: MAX,
    });
  }
  return checkActionBody({
    body: new TextEncoder().encode(body).buffer as ArrayBuffer,
    contentType,
    isAction,
    maxBytes: MAX,
  });
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe("a server action call's body", () => {
  it("what the app's forms send is let through", async () => {
    expect(await check("[]")).toBeNull();
    expect(
      await check(form({ _1_identifier: "aa", _1_password: "x", "0": '[{"status":"idle"},"$K1"]' })),
    ).toBeNull();
    expect(
      await check(form({ "0": '[{"status":"error","values":{"name":"$$x"},"savedAt":1},"$K1"]' })),
    ).toBeNull();
    expect(await check('[{"status":"done","code":"$undefined"},"$K1"]')).toBeNull();
  });

  it("a form posted without JavaScript is let through, bound arguments and all", async () => {
    const fields = {
      $ACTION_REF_1: "",
      "$ACTION_1:0": '{"id":"60b5","bound":"$@1"}',
      "$ACTION_1:1": '[{"status":"idle"}]',
      $ACTION_KEY: "k1",
      identifier: "aa100001-ovh",
    };
    expect(await check(form(fields), { isAction: false })).toBeNull();
  });

  it.each([
    ["nothing", ""],
    ["a form-encoded body", "0=[]"],
    ["a JSON object", '{"a":1}'],
    ["broken JSON", "[{"],
    ["a reference to a part that is not there", '["$@5"]'],
    ["a Map reference", '["$Q1"]'],
    ["a server reference", '["$h1"]'],
    ["nesting deep enough to overflow a stack", `${"[".repeat(5000)}${"]".repeat(5000)}`],
  ])("%s from JavaScript is refused with 400", async (_label, body) => {
    expect(await check(body)).toMatchObject({ status: 400 });
  });

  it("bytes that are not UTF-8 are refused", async () => {
    const body = new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]).buffer;
    expect(
      await checkActionBody({ body, contentType: "text/plain", isAction: true, maxBytes: MAX }),
    ).toMatchObject({
      status: 400,
    });
  });

  it("a multipart body without a boundary is refused", async () => {
    expect(await check("xx", { contentType: "multipart/form-data" })).toMatchObject({ status: 400 });
  });

  it("multipart fields without React's part 0 are refused", async () => {
    expect(await check(form({ identifier: "aa", password: "x" }))).toMatchObject({ status: 400 });
  });

  it("a progressive field with a dangling promise reference is refused", async () => {
    const fields = { "$ACTION_1:0": '{"id":"60b5","bound":"$@7"}', "$ACTION_1:1": "[]" };
    expect(await check(form(fields), { isAction: false })).toMatchObject({ status: 400 });
  });

  it("a body over the limit is refused with 413", async () => {
    expect(
      await checkActionBody({
        body: new ArrayBuffer(MAX + 1),
        contentType: "text/plain",
        isAction: true,
        maxBytes: MAX,
      }),
    ).toMatchObject({
      status: 413,
    });
  });

  it("a plain POST that is no action call is left to the page", async () => {
    expect(await check("anything", { isAction: false })).toBeNull();
  });

  it("arguments must be a JSON array", () => {
    expect(areArgumentsWellFormed("[1]")).toBe(true);
    expect(areArgumentsWellFormed("1")).toBe(false);
    expect(areArgumentsWellFormed(undefined)).toBe(false);
  });
});
