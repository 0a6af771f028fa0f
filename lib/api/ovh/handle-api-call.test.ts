import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, rawRows } from "@/db/client";
import { throttleAttempts } from "@/db/schema";
import { getRequestDetail } from "@/lib/requests/get-request-detail";
import {
  ANNA,
  accountIdOf,
  addInvoice,
  at,
  BARTOSZ,
  CELINA,
  codeFor,
  contactsOf,
  DAWID,
  DAY,
  EWA,
  FILIP,
  HOUR,
  MINUTE,
  openTestDb,
  PEOPLE,
  requestRow,
  snapshot,
  T0,
} from "@/lib/requests/testing/confirming-fixtures";
import type { ApiResponse } from "./api-response";
import { meSchema, serviceInfosSchema, taskIdsSchema, taskSchema } from "./api-schemas";
import { handleApiCall } from "./handle-api-call";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});

afterEach(async () => {
  await db.close();
});

/** One call of the API as `customerId`, as the HTTP route hands it over once authenticated. */
async function call(
  customerId: string,
  method: string,
  path: string,
  options: {
    query?: Record<string, string> | string;
    body?: unknown;
    now?: Date;
    clientAddress?: string;
  } = {},
): Promise<ApiResponse> {
  return handleApiCall(db, {
    accountId: await accountIdOf(db, customerId),
    method,
    path,
    query: new URLSearchParams(options.query ?? ""),
    body: options.body,
    clientAddress: options.clientAddress ?? "203.0.113.7",
    now: options.now ?? at(HOUR),
  });
}

/** Anna (admin of example.pl) asks, as OVH's panel does, with all three fields: Dawid becomes tech. */
async function annaReplacesTech(now = T0): Promise<number> {
  const answer = await call(ANNA, "POST", "/domain/example.pl/changeContact", {
    body: { contactAdmin: ANNA, contactTech: DAWID, contactBilling: CELINA },
    now,
  });
  expect(answer.status).toBe(200);
  const ids = taskIdsSchema.parse(answer.body);
  expect(ids).toHaveLength(1);
  return ids[0] as number;
}

/** Every row the API could write, throttle attempts included, to prove a refusal wrote nothing. */
async function everything() {
  return { ...(await snapshot(db)), throttle: await db.read.select().from(throttleAttempts) };
}

async function accept(customerId: string, id: number, now = at(HOUR)) {
  return call(customerId, "POST", `/me/task/contactChange/${id}/accept`, {
    body: { token: await codeFor(db, id, customerId) },
    now,
  });
}

describe("GET /me", () => {
  it("answers the account's customer ID, e-mail, name and language in OVH's words", async () => {
    const anna = await call(ANNA, "GET", "/me");
    expect(anna).toEqual({
      status: 200,
      body: { nichandle: ANNA, email: "anna@example.test", name: "Anna Nowak", language: "en_GB" },
    });
    expect(meSchema.parse(anna.body)).toEqual(anna.body);
    expect((await call(BARTOSZ, "GET", "/me")).body).toMatchObject({ nichandle: BARTOSZ, language: "pl_PL" });
  });
});

describe("a contact change from changeContact to serviceInfos", () => {
  it("changeContact, list, get, accept with both codes: the service has its new tech contact", async () => {
    const id = await annaReplacesTech();

    const task = await call(DAWID, "GET", `/me/task/contactChange/${id}`);
    expect(task).toEqual({
      status: 200,
      body: {
        id,
        askingAccount: ANNA,
        contactTypes: ["contactTech"],
        dateRequest: T0.toISOString(),
        dateDone: null,
        fromAccount: BARTOSZ,
        toAccount: DAWID,
        serviceDomain: "example.pl",
        state: "validatingByCustomers",
      },
    });
    expect(taskSchema.parse(task.body)).toEqual(task.body);
    for (const party of [ANNA, BARTOSZ, DAWID]) {
      expect((await call(party, "GET", "/me/task/contactChange")).body, party).toEqual([id]);
    }

    expect(await accept(ANNA, id, at(HOUR))).toEqual({ status: 200, body: null });
    expect((await call(ANNA, "GET", `/me/task/contactChange/${id}`)).body).toMatchObject({
      state: "validatingByCustomers",
    });
    expect(await accept(DAWID, id, at(2 * HOUR))).toEqual({ status: 200, body: null });

    expect((await call(ANNA, "GET", `/me/task/contactChange/${id}`)).body).toMatchObject({
      state: "done",
      dateDone: at(2 * HOUR).toISOString(),
    });
    const infos = await call(ANNA, "GET", "/domain/example.pl/serviceInfos");
    expect(infos.status).toBe(200);
    expect(serviceInfosSchema.parse(infos.body)).toEqual(infos.body);
    expect(infos.body).toMatchObject({
      contactAdmin: ANNA,
      contactTech: DAWID,
      contactBilling: CELINA,
      domain: "example.pl",
      status: "ok",
    });
    expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: DAWID, billing: CELINA });
  });

  it("a field naming its current holder asks for nothing; several changes give one task per old → new pair", async () => {
    const answer = await call(ANNA, "POST", "/domain/example.pl/changeContact", {
      body: { contactAdmin: ANNA, contactTech: EWA, contactBilling: EWA },
    });
    expect(answer.status).toBe(200);
    const ids = taskIdsSchema.parse(answer.body);
    expect(ids).toHaveLength(2);
    const tasks = await Promise.all(ids.map((id) => call(ANNA, "GET", `/me/task/contactChange/${id}`)));
    expect(tasks.map((task) => task.body)).toMatchObject([
      { contactTypes: ["contactTech"], fromAccount: BARTOSZ, toAccount: EWA },
      { contactTypes: ["contactBilling"], fromAccount: CELINA, toAccount: EWA },
    ]);
  });

  it("reaches every kind of service at OVH's path, with the name URL-decoded", async () => {
    expect((await call(BARTOSZ, "GET", "/hosting/web/shop.example.pl/serviceInfos")).body).toMatchObject({
      domain: "shop.example.pl",
      contactTech: BARTOSZ,
    });
    expect((await call(ANNA, "GET", "/vps/vps-42%2Eexample.net/serviceInfos")).body).toMatchObject({
      domain: "vps-42.example.net",
      contactAdmin: ANNA,
    });
    // The right name under another kind of service is no service.
    expect((await call(ANNA, "GET", "/vps/example.pl/serviceInfos")).status).toBe(404);
    const vps = await call(ANNA, "POST", "/vps/vps-42.example.net/changeContact", {
      body: { contactBilling: CELINA },
    });
    expect(vps.status).toBe(200);
  });
});

describe("what each party sees", () => {
  it("lists exactly the tasks the pages let each account see, newest first", async () => {
    const first = await annaReplacesTech(T0);
    const second = (
      await call(BARTOSZ, "POST", "/hosting/web/shop.example.pl/changeContact", {
        body: { contactTech: EWA },
        now: at(MINUTE),
      })
    ).body as number[];
    const third = (
      await call(ANNA, "POST", "/vps/vps-42.example.net/changeContact", {
        body: { contactAdmin: ANNA, contactTech: CELINA },
        now: at(2 * MINUTE),
      })
    ).body as number[];
    const all = [first, ...second, ...third];
    for (const person of PEOPLE) {
      const visible: number[] = [];
      for (const id of all) {
        if (await getRequestDetail(db, id, await accountIdOf(db, person.customerId), at(HOUR)))
          visible.push(id);
      }
      const listed = await call(person.customerId, "GET", "/me/task/contactChange");
      expect(listed.body, person.customerId).toEqual(visible.sort((a, b) => b - a));
    }
    expect((await call(FILIP, "GET", "/me/task/contactChange")).body).toEqual([]);
  });

  it("filters by OVH state, asking account and new contact", async () => {
    const done = await askAndFinish();
    const pending = await annaReplacesTech(at(3 * HOUR));
    const list = async (query: Record<string, string>, now = at(4 * HOUR)) =>
      (await call(ANNA, "GET", "/me/task/contactChange", { query, now })).body;
    expect(await list({})).toEqual([pending, done]);
    expect(await list({ state: "done" })).toEqual([done]);
    expect(await list({ state: "validatingByCustomers" })).toEqual([pending]);
    expect(await list({ state: "todo" })).toEqual([]);
    expect(await list({ askingAccount: "AA100001-OVH" })).toEqual([pending, done]);
    expect(await list({ askingAccount: BARTOSZ })).toEqual([]);
    expect(await list({ toAccount: DAWID, state: "validatingByCustomers" })).toEqual([pending]);
    expect(await list({ toAccount: EWA })).toEqual([done]);
    expect(await list({ toAccount: "zz999999-ovh" })).toEqual([]);
    // Past its deadline a pending task reads as expired before any sweep records it.
    const late = at(20 * DAY);
    expect(await list({ state: "validatingByCustomers" }, late)).toEqual([]);
    expect(await list({ state: "expired" }, late)).toEqual([pending]);
    const task = await call(ANNA, "GET", `/me/task/contactChange/${pending}`, { now: late });
    expect(task.body).toMatchObject({ state: "expired", dateDone: at(3 * HOUR + 14 * DAY).toISOString() });
  });

  /** Anna takes billing from Celina for Ewa on shop.example.pl and both accept: a task done. */
  async function askAndFinish(): Promise<number> {
    const [id] = (
      await call(ANNA, "POST", "/hosting/web/shop.example.pl/changeContact", {
        body: { contactBilling: EWA },
        now: T0,
      })
    ).body as number[];
    expect(await accept(ANNA, id as number, at(HOUR))).toMatchObject({ status: 200 });
    expect(await accept(EWA, id as number, at(2 * HOUR))).toMatchObject({ status: 200 });
    return id as number;
  }

  it("a stranger gets the same 404 for another account's task and service as for none at all", async () => {
    const id = await annaReplacesTech();
    const absent = id + 1000;
    const before = await everything();
    for (const [method, path, body] of [
      ["GET", "/me/task/contactChange/{id}", undefined],
      ["POST", "/me/task/contactChange/{id}/accept", { token: "whatever" }],
      ["POST", "/me/task/contactChange/{id}/refuse", { token: "whatever" }],
      ["POST", "/me/task/contactChange/{id}/resendEmail", undefined],
      ["POST", "/me/task/contactChange/{id}/cancel", undefined],
    ] as const) {
      const theirs = await call(FILIP, method, path.replace("{id}", String(id)), { body });
      const none = await call(FILIP, method, path.replace("{id}", String(absent)), { body });
      expect(theirs, path).toEqual({
        status: 404,
        body: { message: "This contact change task does not exist.", errorCode: "NOT_FOUND" },
      });
      expect(none, path).toEqual(theirs);
    }
    for (const [method, suffix, body] of [
      ["GET", "serviceInfos", undefined],
      ["POST", "changeContact", { contactTech: FILIP }],
    ] as const) {
      const theirs = await call(FILIP, method, `/domain/example.pl/${suffix}`, { body });
      const none = await call(FILIP, method, `/domain/nowhere.example/${suffix}`, { body });
      expect(theirs, suffix).toEqual({
        status: 404,
        body: { message: "This service does not exist.", errorCode: "NOT_FOUND" },
      });
      expect(none, suffix).toEqual(theirs);
    }
    // A wrong code by a stranger is no attempt at all.
    expect(await everything()).toEqual(before);
  });
});

describe("bad input is refused 400, naming the field, and changes nothing", () => {
  it.each([
    [
      "a malformed id",
      "GET",
      "/me/task/contactChange/abc",
      {},
      /path parameter "id": must be a positive integer/,
    ],
    ["a negative id", "POST", "/me/task/contactChange/-1/accept", { body: { token: "x" } }, /"id"/],
    ["a fractional id", "POST", "/me/task/contactChange/1.5/cancel", {}, /"id"/],
    ["a NUL in a service name", "GET", "/domain/example%00.pl/serviceInfos", {}, /NUL character/],
    [
      "a body that is an array",
      "POST",
      "/me/task/contactChange/{id}/accept",
      { body: ["x"] },
      /must be a JSON object/,
    ],
    [
      "a body that is a string",
      "POST",
      "/me/task/contactChange/{id}/refuse",
      { body: "x" },
      /must be a JSON object/,
    ],
    ["a null body", "POST", "/me/task/contactChange/{id}/accept", { body: null }, /must be a JSON object/],
    ["no token", "POST", "/me/task/contactChange/{id}/accept", { body: {} }, /Missing body field "token"/],
    ["no body at all", "POST", "/me/task/contactChange/{id}/accept", {}, /Missing body field "token"/],
    [
      "an empty token",
      "POST",
      "/me/task/contactChange/{id}/accept",
      { body: { token: "  " } },
      /"token": must not be empty/,
    ],
    [
      "a token that is a number",
      "POST",
      "/me/task/contactChange/{id}/accept",
      { body: { token: 123456 } },
      /"token"/,
    ],
    [
      "an unknown body field",
      "POST",
      "/me/task/contactChange/{id}/accept",
      { body: { token: "x", code: "y" } },
      /Unknown body field "code"/,
    ],
    [
      "a body on a call without one",
      "POST",
      "/me/task/contactChange/{id}/resendEmail",
      { body: { force: true } },
      /takes no body/,
    ],
    [
      "an unknown state filter",
      "GET",
      "/me/task/contactChange",
      { query: { state: "pending" } },
      /query parameter "state": must be one of aborted/,
    ],
    [
      "a malformed account filter",
      "GET",
      "/me/task/contactChange",
      { query: { askingAccount: "anna" } },
      /"askingAccount": is not a customer ID/,
    ],
    [
      "an unknown query parameter",
      "GET",
      "/me/task/contactChange",
      { query: { status: "done" } },
      /Unknown query parameter "status"/,
    ],
    [
      "a repeated query parameter",
      "GET",
      "/me/task/contactChange",
      { query: "state=done&state=refused" },
      /"state" is given more than once/,
    ],
    [
      "a changeContact field that is not a string",
      "POST",
      "/domain/example.pl/changeContact",
      { body: { contactTech: 5 } },
      /body field "contactTech"/,
    ],
    [
      "an unknown changeContact field",
      "POST",
      "/domain/example.pl/changeContact",
      { body: { contactOwner: DAWID } },
      /Unknown body field "contactOwner"/,
    ],
    [
      "a broken URL encoding",
      "GET",
      "/domain/example%E0.pl/serviceInfos",
      {},
      /"serviceName": malformed URL encoding/,
    ],
  ] as const)("%s", async (_name, method, template, options, message) => {
    const id = await annaReplacesTech();
    const before = await everything();
    const answer = await call(ANNA, method, template.replace("{id}", String(id)), options);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ errorCode: "BAD_REQUEST", message: expect.stringMatching(message) });
    expect(await everything()).toEqual(before);
  });

  it("an unknown service type is named as such", async () => {
    for (const path of ["/server/example.pl/serviceInfos", "/hosting/private/example.pl/changeContact"]) {
      const answer = await call(ANNA, path.endsWith("changeContact") ? "POST" : "GET", path, {
        body: path.endsWith("changeContact") ? { contactTech: DAWID } : undefined,
      });
      expect(answer).toEqual({
        status: 400,
        body: {
          errorCode: "UNKNOWN_SERVICE_TYPE",
          message: expect.stringMatching(
            /^Unknown service type "(server|hosting\/private)": expected one of domain, hosting\/web, vps, dedicated\/server, email\/domain$/,
          ),
        },
      });
    }
    expect(await requestRowsCount()).toBe(0);
  });

  it("an unknown path is 404 and a known one with the wrong method 405", async () => {
    expect(await call(ANNA, "GET", "/me/task/domain")).toEqual({
      status: 404,
      body: { errorCode: "NOT_FOUND", message: "No such call in this API." },
    });
    expect(await call(ANNA, "DELETE", "/me/task/contactChange")).toEqual({
      status: 405,
      body: { errorCode: "METHOD_NOT_ALLOWED", message: "This path answers GET only." },
      headers: { Allow: "GET" },
    });
  });
});

async function requestRowsCount(): Promise<number> {
  const [row] = await rawRows<{ n: number }>(
    db.read,
    sql`SELECT CAST(count(*) AS integer) AS n FROM change_requests`,
  );
  return Number(row?.n);
}

describe("changeContact's refusals", () => {
  it("nothing to change is 400", async () => {
    const answer = await call(ANNA, "POST", "/domain/example.pl/changeContact", {
      body: { contactAdmin: ANNA, contactTech: BARTOSZ, contactBilling: CELINA },
    });
    expect(answer).toMatchObject({ status: 400, body: { errorCode: "NOTHING_TO_CHANGE" } });
    expect((await call(ANNA, "POST", "/domain/example.pl/changeContact", { body: {} })).status).toBe(400);
  });

  it("a pending task in the way is 409, naming the field and the task", async () => {
    const id = await annaReplacesTech();
    const answer = await call(ANNA, "POST", "/domain/example.pl/changeContact", {
      body: { contactAdmin: ANNA, contactTech: EWA, contactBilling: CELINA },
    });
    expect(answer).toEqual({
      status: 409,
      body: {
        errorCode: "PENDING_REQUEST_EXISTS",
        message: `contactTech: task ${id} for this contact is still pending: wait for it to end, or cancel it`,
        details: { contactTech: "pending_request_exists" },
      },
    });
  });

  it("a change the account's roles do not allow is 403", async () => {
    const answer = await call(BARTOSZ, "POST", "/domain/example.pl/changeContact", {
      body: { contactAdmin: BARTOSZ, contactTech: BARTOSZ, contactBilling: CELINA },
    });
    expect(answer).toEqual({
      status: 403,
      body: {
        errorCode: "NOT_ALLOWED",
        message: "contactAdmin: your roles do not allow changing this contact",
        details: { contactAdmin: "not_allowed" },
      },
    });
  });

  it("an overdue invoice blocking a billing change is 403", async () => {
    await addInvoice(db, CELINA, at(-DAY));
    const answer = await call(ANNA, "POST", "/domain/example.pl/changeContact", {
      body: { contactBilling: EWA },
    });
    expect(answer).toMatchObject({
      status: 403,
      body: { details: { contactBilling: "billing_payments_overdue" } },
    });
  });

  it("malformed and unknown customer IDs are 400, each field named", async () => {
    const answer = await call(ANNA, "POST", "/domain/example.pl/changeContact", {
      body: { contactTech: "dawid", contactBilling: "zz999999-ovh" },
    });
    expect(answer).toEqual({
      status: 400,
      body: {
        errorCode: "BAD_REQUEST",
        message:
          "contactTech: is not a customer ID (like aa123456-ovh); contactBilling: no account has this customer ID",
        details: { contactTech: "malformed_customer_id", contactBilling: "unknown_account" },
      },
    });
    expect(await requestRowsCount()).toBe(0);
  });
});

describe("answering a task", () => {
  it("a refusal ends the task refused", async () => {
    const id = await annaReplacesTech();
    const answer = await call(DAWID, "POST", `/me/task/contactChange/${id}/refuse`, {
      body: { token: await codeFor(db, id, DAWID) },
    });
    expect(answer).toEqual({ status: 200, body: null });
    expect((await call(ANNA, "GET", `/me/task/contactChange/${id}`)).body).toMatchObject({
      state: "refused",
    });
  });

  it("maps each refusal: wrong code 400, locked 403, not a confirmer 403, answered or ended 409", async () => {
    const id = await annaReplacesTech();
    const wrong = await call(ANNA, "POST", `/me/task/contactChange/${id}/accept`, {
      body: { token: "nope" },
    });
    expect(wrong).toEqual({
      status: 400,
      body: { errorCode: "WRONG_CODE", message: "Invalid token. 4 attempts left." },
    });
    for (let i = 0; i < 4; i++) {
      await call(ANNA, "POST", `/me/task/contactChange/${id}/accept`, { body: { token: "nope" } });
    }
    expect(await accept(ANNA, id)).toMatchObject({ status: 403, body: { errorCode: "CODE_LOCKED" } });
    // Bartosz, the contact replaced, sees the task but does not confirm it.
    expect(
      await call(BARTOSZ, "POST", `/me/task/contactChange/${id}/accept`, { body: { token: "x" } }),
    ).toMatchObject({ status: 403, body: { errorCode: "NOT_A_CONFIRMER" } });
    expect(await accept(DAWID, id)).toEqual({ status: 200, body: null });
    // A spent code is erased from the outbox: any token does to ask again.
    const again = () =>
      call(DAWID, "POST", `/me/task/contactChange/${id}/accept`, { body: { token: "spent" } });
    expect(await again()).toMatchObject({
      status: 409,
      body: { errorCode: "ALREADY_ANSWERED", message: "You have already accepted this task." },
    });
    expect(await call(ANNA, "POST", `/me/task/contactChange/${id}/cancel`)).toEqual({
      status: 200,
      body: null,
    });
    expect(await again()).toMatchObject({
      status: 409,
      body: { errorCode: "NOT_PENDING", message: "This task is no longer pending: it is aborted." },
    });
  });

  it("an expired task is 409 and reads expired", async () => {
    const id = await annaReplacesTech();
    const late = at(15 * DAY);
    expect(await accept(DAWID, id, late)).toMatchObject({ status: 409, body: { errorCode: "EXPIRED" } });
    expect((await requestRow(db, id)).state).toBe("expired");
  });

  it("too many wrong codes from one account are throttled 429 with Retry-After, before any code is checked", async () => {
    const first = await annaReplacesTech();
    const [second] = (
      await call(ANNA, "POST", "/hosting/web/shop.example.pl/changeContact", { body: { contactTech: EWA } })
    ).body as number[];
    // Five wrong codes lock each task's code; ten count against the account (CODES_PER_ACCOUNT).
    for (const id of [first, second as number]) {
      for (let i = 0; i < 5; i++) {
        const answer = await call(ANNA, "POST", `/me/task/contactChange/${id}/accept`, {
          body: { token: "nope" },
        });
        expect(answer.status).toBe(400);
      }
    }
    const [third] = (
      await call(ANNA, "POST", "/vps/vps-42.example.net/changeContact", { body: { contactTech: CELINA } })
    ).body as number[];
    const rightCode = await codeFor(db, third as number, ANNA);
    const before = await everything();
    const throttled = await call(ANNA, "POST", `/me/task/contactChange/${third}/refuse`, {
      body: { token: rightCode },
    });
    expect(throttled).toEqual({
      status: 429,
      body: { errorCode: "TOO_MANY_REQUESTS", message: "Too many wrong tokens lately. Try again in 5 s." },
      headers: { "Retry-After": "5" },
    });
    expect(await everything()).toEqual(before);
    // Once the wait is over, the same right code is heard.
    const later = await call(ANNA, "POST", `/me/task/contactChange/${third}/refuse`, {
      body: { token: rightCode },
      now: at(HOUR + 5_000),
    });
    expect(later).toEqual({ status: 200, body: null });
  });

  it("a right code does not count against the throttle", async () => {
    const id = await annaReplacesTech();
    expect(await accept(ANNA, id)).toEqual({ status: 200, body: null });
    expect(await db.read.select().from(throttleAttempts)).toEqual([]);
  });
});

describe("resendEmail and cancel", () => {
  it("a resend issues new codes; a second within the minute is 429 with Retry-After", async () => {
    const id = await annaReplacesTech();
    const oldCode = await codeFor(db, id, DAWID);
    expect(
      await call(BARTOSZ, "POST", `/me/task/contactChange/${id}/resendEmail`, { now: at(HOUR) }),
    ).toEqual({
      status: 200,
      body: null,
    });
    expect(await codeFor(db, id, DAWID)).not.toBe(oldCode);
    const again = await call(ANNA, "POST", `/me/task/contactChange/${id}/resendEmail`, {
      now: at(HOUR + 20_000),
      body: {},
    });
    expect(again).toMatchObject({
      status: 429,
      body: { errorCode: "TOO_MANY_REQUESTS" },
      headers: { "Retry-After": "40" },
    });
    expect(await accept(DAWID, id)).toEqual({ status: 200, body: null });
  });

  it("only the account that asked or the administrator cancels; the task then reads aborted", async () => {
    const id = await annaReplacesTech();
    expect(await call(DAWID, "POST", `/me/task/contactChange/${id}/cancel`)).toMatchObject({
      status: 403,
      body: { errorCode: "NOT_ALLOWED" },
    });
    expect(await call(ANNA, "POST", `/me/task/contactChange/${id}/cancel`)).toEqual({
      status: 200,
      body: null,
    });
    expect((await call(DAWID, "GET", `/me/task/contactChange/${id}`)).body).toMatchObject({
      state: "aborted",
      dateDone: at(HOUR).toISOString(),
    });
    expect(await call(ANNA, "POST", `/me/task/contactChange/${id}/cancel`)).toMatchObject({
      status: 409,
      body: { errorCode: "NOT_PENDING" },
    });
  });
});
