import { describe, expect, it } from "vitest";
import { REQUEST_STATES, SERVICE_TYPES } from "@/db/schema";
import {
  OVH_SERVICE_PATHS,
  OVH_STATE_OF,
  OVH_TASK_STATES,
  requestStateOf,
  serviceTypeOfPath,
} from "./ovh-vocabulary";

describe("OVH's words for ours", () => {
  it("reads each of our states as a distinct OVH state, and back", () => {
    for (const state of REQUEST_STATES) expect(requestStateOf(OVH_STATE_OF[state])).toBe(state);
    expect(new Set(Object.values(OVH_STATE_OF)).size).toBe(REQUEST_STATES.length);
  });

  it("matches nothing to the OVH states this app never reaches", () => {
    const reached = new Set<string>(Object.values(OVH_STATE_OF));
    const never = OVH_TASK_STATES.filter((state) => !reached.has(state));
    expect(never).toEqual(["checkValidity", "doing", "error", "todo"]);
    for (const state of never) expect(requestStateOf(state)).toBeNull();
  });

  it("gives every kind of service its own OVH path, and reads it back", () => {
    for (const type of SERVICE_TYPES) expect(serviceTypeOfPath(OVH_SERVICE_PATHS[type])).toBe(type);
    expect(serviceTypeOfPath("hosting/private")).toBeNull();
    expect(OVH_SERVICE_PATHS).toMatchObject({
      domain: "domain",
      web_hosting: "hosting/web",
      vps: "vps",
      dedicated_server: "dedicated/server",
    });
  });
});
