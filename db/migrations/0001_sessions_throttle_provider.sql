CREATE TABLE `email_provider_state` (
	`provider` text PRIMARY KEY NOT NULL,
	`paused_until` integer,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`credential_stamp` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_account_idx` ON `sessions` (`account_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `throttle_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `throttle_attempts_key_idx` ON `throttle_attempts` (`scope`,`key`,`at`);--> statement-breakpoint
CREATE INDEX `throttle_attempts_at_idx` ON `throttle_attempts` (`at`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `secret_ref` text;--> statement-breakpoint
CREATE INDEX `outbox_secret_ref_idx` ON `outbox` (`secret_ref`) WHERE secret_ref IS NOT NULL;