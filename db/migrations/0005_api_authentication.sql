CREATE TABLE `api_applications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`application_key` text NOT NULL,
	`application_secret_encrypted` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_applications_application_key_unique` ON `api_applications` (`application_key`);--> statement-breakpoint
CREATE INDEX `api_applications_account_idx` ON `api_applications` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `api_consumer_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`account_id` integer,
	`consumer_key_hash` text NOT NULL,
	`credential_token_hash` text NOT NULL,
	`access_rules` text NOT NULL,
	`redirection` text,
	`state` text DEFAULT 'pendingValidation' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`validation_expires_at` integer NOT NULL,
	`decided_at` integer,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`application_id`) REFERENCES `api_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_consumer_keys_consumer_key_hash_unique` ON `api_consumer_keys` (`consumer_key_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_consumer_keys_credential_token_hash_unique` ON `api_consumer_keys` (`credential_token_hash`);--> statement-breakpoint
CREATE INDEX `api_consumer_keys_application_idx` ON `api_consumer_keys` (`application_id`);--> statement-breakpoint
CREATE INDEX `api_consumer_keys_account_idx` ON `api_consumer_keys` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `api_seen_signatures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consumer_key_id` integer NOT NULL,
	`signature` text NOT NULL,
	`seen_at` integer NOT NULL,
	FOREIGN KEY (`consumer_key_id`) REFERENCES `api_consumer_keys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_seen_signatures_key_signature_uq` ON `api_seen_signatures` (`consumer_key_id`,`signature`);--> statement-breakpoint
CREATE INDEX `api_seen_signatures_seen_idx` ON `api_seen_signatures` (`seen_at`);