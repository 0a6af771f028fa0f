import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

/**
 * JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema: requests as they come in, answers
 * as they go out. A string that a transform turns into a number is documented as the integer it
 * is (`meta({ type: "integer" })`), and formats say what zod's long patterns would. Shared by the
 * automation API's document and the provisioning API's section of it.
 */
export function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: ({ jsonSchema: node }) => {
      if (node.type === "integer" || ["date-time", "date", "email", "uri"].includes(node.format as string)) {
        delete node.pattern;
      }
      // zod bounds every integer to JavaScript's safe range, which says nothing to a reader.
      if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
      if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
    },
  }) as JsonSchema;
  return rest;
}
