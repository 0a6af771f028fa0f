CREATE TABLE `batch_confirmations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`account_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`token_issued_at` integer NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `request_batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `batch_confirmations_token_hash_unique` ON `batch_confirmations` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `batch_confirmations_batch_account_uq` ON `batch_confirmations` (`batch_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `batch_confirmations_account_idx` ON `batch_confirmations` (`account_id`);--> statement-breakpoint
CREATE TABLE `request_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`requested_by_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`last_resent_at` integer,
	FOREIGN KEY (`requested_by_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `request_batches_requested_by_idx` ON `request_batches` (`requested_by_id`);--> statement-breakpoint
ALTER TABLE `change_requests` ADD `batch_id` integer REFERENCES request_batches(id);--> statement-breakpoint
CREATE INDEX `change_requests_batch_idx` ON `change_requests` (`batch_id`,`id`);--> statement-breakpoint
CREATE INDEX `change_requests_batch_state_idx` ON `change_requests` (`batch_id`,`state`);