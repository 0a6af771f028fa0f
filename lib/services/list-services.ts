import type { Db } from "@/db/client";
import { CONTACT_TYPES, type ContactType, SERVICE_TYPES, type ServiceType } from "@/db/schema";
import { firstParam, pageParam, type SearchParamRecord } from "@/lib/search-params";

export const PAGE_SIZE = 50;

/** What My contacts was asked for; every field comes from the URL. */
export type ServiceListQuery = {
  search: string;
  type: ServiceType | null;
  role: ContactType | null;
  page: number;
};

export type ContactCell = { id: number; customerId: string };

export type ServiceRow = {
  id: number;
  name: string;
  type: ServiceType;
  admin: ContactCell;
  tech: ContactCell;
  billing: ContactCell;
};

export type ServicePage = { rows: ServiceRow[]; page: number; hasNext: boolean };

const CONTACT_COLUMN: Record<ContactType, string> = {
  admin: "admin_id",
  tech: "tech_id",
  billing: "billing_id",
};

/** Reads the URL's search parameters into a query, ignoring values that are not ours. */
export function parseServiceListQuery(params: SearchParamRecord): ServiceListQuery {
  const type = firstParam(params, "type");
  const role = firstParam(params, "role");
  return {
    search: firstParam(params, "q").trim().slice(0, 100),
    type: (SERVICE_TYPES as readonly string[]).includes(type) ? (type as ServiceType) : null,
    role: (CONTACT_TYPES as readonly string[]).includes(role) ? (role as ContactType) : null,
    page: pageParam(params),
  };
}

/**
 * Builds the SQL for one page of an account's services. Each contact role has an
 * index on (contact, name); one arm per role reads it in name order and the compound
 * SELECT merges the arms, so a page costs its own rows, not the account's size.
 */
export function buildServicePageSql(query: Pick<ServiceListQuery, "search" | "type" | "role">): string {
  const filters = [query.search ? "name LIKE @search ESCAPE '\\'" : null, query.type ? "type = @type" : null]
    .filter(Boolean)
    .map((filter) => ` AND ${filter}`)
    .join("");
  const roles = query.role ? [query.role] : CONTACT_TYPES;
  const arms = roles.map(
    (role) => `SELECT id, name FROM services WHERE ${CONTACT_COLUMN[role]} = @account${filters}`,
  );
  return `WITH page AS (${arms.join(" UNION ")} ORDER BY name, id LIMIT @limit OFFSET @offset)
SELECT s.id, s.name, s.type,
  s.admin_id AS adminId, a.customer_id AS adminCustomerId,
  s.tech_id AS techId, t.customer_id AS techCustomerId,
  s.billing_id AS billingId, b.customer_id AS billingCustomerId
FROM page p
JOIN services s ON s.id = p.id
JOIN accounts a ON a.id = s.admin_id
JOIN accounts t ON t.id = s.tech_id
JOIN accounts b ON b.id = s.billing_id
ORDER BY p.name, p.id`;
}

type RawRow = {
  id: number;
  name: string;
  type: ServiceType;
  adminId: number;
  adminCustomerId: string;
  techId: number;
  techCustomerId: string;
  billingId: number;
  billingCustomerId: string;
};

/** Escapes LIKE's wildcards so a search for `a_b` finds that text, not `axb`. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of the services `accountId` is a contact of, sorted by name. */
export function listServices(db: Db, accountId: number, query: ServiceListQuery): ServicePage {
  const statement = db.$client.prepare<Record<string, unknown>, RawRow>(buildServicePageSql(query));
  const rows = statement.all({
    account: accountId,
    ...(query.search ? { search: likePattern(query.search) } : {}),
    ...(query.type ? { type: query.type } : {}),
    // One row more than a page tells whether a next page exists without counting.
    limit: PAGE_SIZE + 1,
    offset: (query.page - 1) * PAGE_SIZE,
  });
  return {
    page: query.page,
    hasNext: rows.length > PAGE_SIZE,
    rows: rows.slice(0, PAGE_SIZE).map((row) => ({
      id: row.id,
      name: row.name,
      type: row.type,
      admin: { id: row.adminId, customerId: row.adminCustomerId },
      tech: { id: row.techId, customerId: row.techCustomerId },
      billing: { id: row.billingId, customerId: row.billingCustomerId },
    })),
  };
}
