import { isRowId } from "@/db/row-id";
import { SERVICE_TYPES, type ServiceType } from "@/db/schema";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { cancelRequest } from "@/lib/requests/cancel-request";
import { resendRequest } from "@/lib/requests/resend-request";
import { answerContactChangeTask } from "./answer-contact-change-task";
import { notFound, ok } from "./api-response";
import {
  changeContactBodySchema,
  meSchema,
  serviceInfosSchema,
  serviceNameParamsSchema,
  taskIdParamsSchema,
  taskIdsSchema,
  taskListQuerySchema,
  taskSchema,
  taskTokenBodySchema,
  voidSchema,
} from "./api-schemas";
import { changeServiceContacts, SERVICE_NOT_FOUND } from "./change-service-contacts";
import { type ApiRoute, defineRoute } from "./define-route";
import { findServiceForContact, toServiceInfos } from "./find-service-for-contact";
import { getContactChangeTask } from "./get-contact-change-task";
import { getMe } from "./get-me";
import { listContactChangeTasks } from "./list-contact-change-tasks";
import { OVH_SERVICE_PATHS } from "./ovh-vocabulary";
import { TASK_NOT_FOUND, taskRefusalResponse } from "./task-refusal-response";

const TASKS = "/me/task/contactChange";
const TASK_TAG = "me/task/contactChange";

/** `POST …/{id}/accept` or `…/refuse`, which differ only in the decision. */
function answerRoute(action: "accept" | "refuse"): ApiRoute {
  return defineRoute({
    method: "POST",
    path: `${TASKS}/{id}/${action}`,
    operationId: `${action}ContactChangeTask`,
    summary: action === "accept" ? "Accept this change request" : "Refuse this change request",
    description:
      "Answer with the token e-mailed to you for this task. Wrong tokens are counted: 5 lock the token until the e-mails are resent, and many in a row from one account or address are answered 429 with Retry-After.",
    tags: [TASK_TAG],
    params: taskIdParamsSchema,
    body: taskTokenBodySchema,
    response: voidSchema,
    errors: [400, 403, 404, 409, 429],
    handle: ({ db, accountId, clientAddress, now, params, body }) =>
      answerContactChangeTask(db, {
        taskId: params.id,
        accountId,
        token: body.token,
        decision: action === "accept" ? "accepted" : "refused",
        clientAddress,
        now,
      }),
  });
}

/** `GET …/serviceInfos` and `POST …/changeContact` of one kind of service. */
function serviceRoutes(type: ServiceType): ApiRoute[] {
  const base = `/${OVH_SERVICE_PATHS[type]}/{serviceName}`;
  const tag = OVH_SERVICE_PATHS[type];
  const suffix = type
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
  return [
    defineRoute({
      method: "GET",
      path: `${base}/serviceInfos`,
      operationId: `get${suffix}ServiceInfos`,
      summary: "Get service information",
      description: "The service's contacts, as customer IDs. Only the service's contacts see it.",
      tags: [tag],
      params: serviceNameParamsSchema,
      response: serviceInfosSchema,
      errors: [400, 404],
      handle: async ({ db, accountId, params }) => {
        const service = await findServiceForContact(db, { type, name: params.serviceName, accountId });
        return service ? ok(toServiceInfos(service)) : notFound(SERVICE_NOT_FOUND);
      },
    }),
    defineRoute({
      method: "POST",
      path: `${base}/changeContact`,
      operationId: `change${suffix}Contact`,
      summary: "Launch a contact change procedure",
      description:
        "Asks for the contacts given to change; each change is a task the parties confirm with the tokens e-mailed to them. A field naming the contact's current holder asks for no change. Answers the ids of the tasks created. The same rules as the control panel's: who may ask for what, one pending task per contact, overdue invoices.",
      tags: [tag],
      params: serviceNameParamsSchema,
      body: changeContactBodySchema,
      response: taskIdsSchema,
      errors: [400, 403, 404, 409],
      handle: ({ db, accountId, now, params, body }) =>
        changeServiceContacts(db, {
          accountId,
          serviceType: type,
          serviceName: params.serviceName,
          fields: body,
          now,
        }),
    }),
  ];
}

/**
 * The API's route table: every call the API answers under /api/1.0, except the two unsigned
 * `/auth/*` calls the authentication serves (auth-schemas.ts). handleApiCall dispatches from it,
 * and openApiDocument describes it, so the two cannot disagree.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  defineRoute({
    method: "GET",
    path: "/me",
    operationId: "getMe",
    summary: "Get this object properties",
    description: "The account the consumer key acts for.",
    tags: ["me"],
    response: meSchema,
    errors: [400, 404],
    handle: async ({ db, accountId }) => {
      const me = await getMe(db, accountId);
      return me ? ok(me) : notFound("This account does not exist.");
    },
  }),
  defineRoute({
    method: "GET",
    path: TASKS,
    operationId: "listContactChangeTasks",
    summary: "List of service contact change tasks you are involved in",
    description:
      "Ids of the tasks you asked for, must confirm, are replaced by, or that concern a service you administer, newest first. Filters narrow the list together.",
    tags: [TASK_TAG],
    query: taskListQuerySchema,
    response: taskIdsSchema,
    errors: [400],
    handle: async ({ db, accountId, now, query }) =>
      ok(await listContactChangeTasks(db, { accountId, filters: query, now })),
  }),
  defineRoute({
    method: "GET",
    path: `${TASKS}/{id}`,
    operationId: "getContactChangeTask",
    summary: "Get this object properties",
    tags: [TASK_TAG],
    params: taskIdParamsSchema,
    response: taskSchema,
    errors: [400, 404],
    handle: async ({ db, accountId, now, params }) => {
      const task = await getContactChangeTask(db, { taskId: params.id, accountId, now });
      return task ? ok(task) : notFound(TASK_NOT_FOUND);
    },
  }),
  answerRoute("accept"),
  answerRoute("refuse"),
  defineRoute({
    method: "POST",
    path: `${TASKS}/{id}/resendEmail`,
    operationId: "resendContactChangeTaskEmail",
    summary: "Resend the contact change request",
    description:
      "This call will send you a new email, containing a new token: every confirmer who has not answered gets a new token, and the earlier ones stop working. At most once a minute (429 with Retry-After).",
    tags: [TASK_TAG],
    params: taskIdParamsSchema,
    response: voidSchema,
    errors: [400, 403, 404, 409, 429],
    handle: async ({ db, accountId, now, params }) => {
      if (!isRowId(params.id)) return notFound(TASK_NOT_FOUND);
      const result = await resendRequest(db, { requestId: params.id, actorId: accountId, now });
      kickOutboxSender();
      return result.ok ? ok(null) : taskRefusalResponse(result, now);
    },
  }),
  defineRoute({
    method: "POST",
    path: `${TASKS}/{id}/cancel`,
    operationId: "cancelContactChangeTask",
    summary: "Cancel the contact change request",
    description:
      "Not in OVH's API: withdraws a pending task. The account that asked, or the service's administrator, may; everyone involved is told.",
    tags: [TASK_TAG],
    params: taskIdParamsSchema,
    response: voidSchema,
    errors: [400, 403, 404, 409],
    handle: async ({ db, accountId, now, params }) => {
      if (!isRowId(params.id)) return notFound(TASK_NOT_FOUND);
      const result = await cancelRequest(db, { requestId: params.id, actorId: accountId, now });
      kickOutboxSender();
      return result.ok ? ok(null) : taskRefusalResponse(result, now);
    },
  }),
  ...SERVICE_TYPES.flatMap(serviceRoutes),
];
