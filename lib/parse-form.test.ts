import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseForm } from "./parse-form";

const schema = z.object({ id: z.coerce.number().int().positive(), name: z.string().max(5) });

function form(fields: Record<string, string | Blob>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe("reading a server action's form", () => {
  it("a well-formed form gives its parsed fields", () => {
    expect(parseForm(schema, form({ id: "7", name: "Anna" }))).toEqual({
      ok: true,
      data: { id: 7, name: "Anna" },
    });
  });

  it("a form whose fields are wrong is a form with errors", () => {
    expect(parseForm(schema, form({ id: "x", name: "Anna" }))).toEqual({ ok: false, isForm: true });
    expect(parseForm(schema, form({ id: "7", name: "too long" }))).toEqual({ ok: false, isForm: true });
  });

  it.each([
    ["nothing", undefined],
    ["null", null],
    ["an array", [["id", "7"]]],
    ["a JSON object", { id: "7", name: "Anna" }],
    ["a string", "id=7&name=Anna"],
    ["a number", 0],
  ])("%s instead of a form is refused, never thrown over", (_label, value) => {
    expect(parseForm(schema, value)).toEqual({ ok: false, isForm: false });
  });

  it("a file where text is expected is refused", () => {
    expect(parseForm(schema, form({ id: "7", name: new Blob(["x"]) }))).toEqual({ ok: false, isForm: false });
  });
});
