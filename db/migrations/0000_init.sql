CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`language` text DEFAULT 'en' NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_customer_id_unique` ON `accounts` (`customer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_email_unique` ON `accounts` (`email`);--> statement-breakpoint
CREATE TABLE `change_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`service_id` integer NOT NULL,
	`requested_by_id` integer NOT NULL,
	`old_contact_id` integer NOT NULL,
	`new_contact_id` integer NOT NULL,
	`changes_admin` integer DEFAULT false NOT NULL,
	`changes_tech` integer DEFAULT false NOT NULL,
	`changes_billing` integer DEFAULT false NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`end_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`ended_at` integer,
	`last_resent_at` integer,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`old_contact_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`new_contact_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `change_requests_pending_admin_uq` ON `change_requests` (`service_id`) WHERE state = 'pending' AND changes_admin = 1;--> statement-breakpoint
CREATE UNIQUE INDEX `change_requests_pending_tech_uq` ON `change_requests` (`service_id`) WHERE state = 'pending' AND changes_tech = 1;--> statement-breakpoint
CREATE UNIQUE INDEX `change_requests_pending_billing_uq` ON `change_requests` (`service_id`) WHERE state = 'pending' AND changes_billing = 1;--> statement-breakpoint
CREATE INDEX `change_requests_service_idx` ON `change_requests` (`service_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `change_requests_requested_by_idx` ON `change_requests` (`requested_by_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `change_requests_old_contact_idx` ON `change_requests` (`old_contact_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `change_requests_new_contact_idx` ON `change_requests` (`new_contact_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `change_requests_pending_expiry_idx` ON `change_requests` (`expires_at`) WHERE state = 'pending';--> statement-breakpoint
CREATE TABLE `confirmations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`account_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`token_issued_at` integer NOT NULL,
	`decision` text,
	`decided_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `change_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `confirmations_token_hash_unique` ON `confirmations` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `confirmations_request_account_uq` ON `confirmations` (`request_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `confirmations_account_idx` ON `confirmations` (`account_id`);--> statement-breakpoint
CREATE TABLE `email_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`new_email` text NOT NULL,
	`token_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_changes_token_hash_unique` ON `email_changes` (`token_hash`);--> statement-breakpoint
CREATE INDEX `email_changes_account_idx` ON `email_changes` (`account_id`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`reference` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`due_at` integer NOT NULL,
	`paid_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_reference_unique` ON `invoices` (`reference`);--> statement-breakpoint
CREATE INDEX `invoices_unpaid_idx` ON `invoices` (`account_id`,`due_at`) WHERE paid_at IS NULL;--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`to_address` text NOT NULL,
	`to_account_id` integer,
	`language` text NOT NULL,
	`template` text NOT NULL,
	`props` text NOT NULL,
	`subject` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`locked_until` integer,
	`last_error` text,
	`provider_message_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`to_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`next_attempt_at`) WHERE status IN ('pending', 'sending');--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE TABLE `request_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`actor_id` integer,
	`kind` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `change_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `request_events_request_idx` ON `request_events` (`request_id`,`at`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`admin_id` integer NOT NULL,
	`tech_id` integer NOT NULL,
	`billing_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`admin_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tech_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`billing_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `services_admin_name_idx` ON `services` (`admin_id`,`name`);--> statement-breakpoint
CREATE INDEX `services_tech_name_idx` ON `services` (`tech_id`,`name`);--> statement-breakpoint
CREATE INDEX `services_billing_name_idx` ON `services` (`billing_id`,`name`);--> statement-breakpoint
CREATE TABLE `sign_in_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`identifier` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_failures_identifier_idx` ON `sign_in_failures` (`identifier`,`at`);