/**
 * The provider's authority over accounts and services (SPEC.md "Provider integration"), shared
 * by the provisioning API (`/api/provider/v1`) and the bulk import (`npm run import`).
 */
import type { Language, ServiceType } from "@/db/schema";
import type { AccountInput, PaymentStanding, ServiceInput, ServiceKey } from "./provisioning-schemas";

/** An account as the provisioning API shows it. */
export type ProvisionedAccount = {
  customerId: string;
  name: string;
  email: string;
  language: Language;
  paymentStanding: PaymentStanding;
  /** Whether e-mails to `email` bounced or were marked as spam. */
  emailUndeliverable: "bounced" | "complained" | null;
};

/** A service as the provisioning API shows it. */
export type ProvisionedService = {
  type: ServiceType;
  name: string;
  contactAdmin: string;
  contactTech: string;
  contactBilling: string;
};

export type PutAccountResult =
  | { ok: true; created: boolean; account: ProvisionedAccount }
  /** The e-mail address belongs to another account. */
  | { ok: false; reason: "email_taken"; message: string };

export type PutServiceResult =
  | {
      ok: true;
      created: boolean;
      service: ProvisionedService;
      /** Pending requests the change made stale, now ended as cancelled (everyone told). */
      cancelledRequestIds: number[];
    }
  /** A contact names no account; `field` is contactAdmin, contactTech or contactBilling. */
  | { ok: false; reason: "unknown_account"; field: string; message: string };

export type RemoveServiceResult =
  | { ok: true; cancelledRequestIds: number[] }
  | { ok: false; reason: "not_found"; message: string };

/** One line the import could not apply, and why; the rest of the file goes on. */
export type ImportLineError = { line: number; message: string };

export type ImportReport = {
  runId: number;
  /** The first line this run read (1 unless it resumed). */
  fromLine: number;
  linesRead: number;
  accounts: number;
  services: number;
  errors: ImportLineError[];
  /** More errors than the report lists (it keeps the first 1,000). */
  moreErrors: number;
};

export { type ImportOptions, importNdjson } from "./import-ndjson";
export { getAccount, putAccount } from "./put-account";
export { getService, putService, removeService } from "./put-service";
export type { AccountInput, ServiceInput, ServiceKey };
