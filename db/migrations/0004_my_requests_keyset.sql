-- My requests reads each party's requests newest first from a (party, id) index, and one state's
-- from a (party, state, id) index, so a page costs a page however many requests an account has.
DROP INDEX `change_requests_requested_by_idx`;--> statement-breakpoint
DROP INDEX `change_requests_old_contact_idx`;--> statement-breakpoint
DROP INDEX `change_requests_new_contact_idx`;--> statement-breakpoint
-- The service's administrator now, copied onto its requests. SQLite cannot add a NOT NULL column
-- with a foreign key to a table that has rows, and rebuilding change_requests inside the
-- migration's transaction (foreign keys on) would cascade-delete its confirmations and history:
-- the column admits NULL here; the schema's notNull makes every insert name it.
ALTER TABLE `change_requests` ADD `service_admin_id` integer REFERENCES accounts(id);--> statement-breakpoint
UPDATE `change_requests` SET `service_admin_id` = (SELECT `admin_id` FROM `services` WHERE `services`.`id` = `change_requests`.`service_id`);--> statement-breakpoint
-- Whoever changes a service's administrator (a request applied, an operator's tool), its requests
-- move to the new administrator's list in the same statement.
CREATE TRIGGER `change_requests_follow_service_admin` AFTER UPDATE OF `admin_id` ON `services`
WHEN new.admin_id IS NOT old.admin_id BEGIN
  UPDATE `change_requests` SET `service_admin_id` = new.admin_id WHERE `service_id` = new.id;
END;--> statement-breakpoint
CREATE INDEX `change_requests_service_admin_idx` ON `change_requests` (`service_admin_id`,`id`);--> statement-breakpoint
CREATE INDEX `change_requests_requested_by_state_idx` ON `change_requests` (`requested_by_id`,`state`,`id`);--> statement-breakpoint
CREATE INDEX `change_requests_old_contact_state_idx` ON `change_requests` (`old_contact_id`,`state`,`id`);--> statement-breakpoint
CREATE INDEX `change_requests_new_contact_state_idx` ON `change_requests` (`new_contact_id`,`state`,`id`);--> statement-breakpoint
CREATE INDEX `change_requests_service_admin_state_idx` ON `change_requests` (`service_admin_id`,`state`,`id`);--> statement-breakpoint
CREATE INDEX `change_requests_requested_by_idx` ON `change_requests` (`requested_by_id`,`id`);--> statement-breakpoint
CREATE INDEX `change_requests_old_contact_idx` ON `change_requests` (`old_contact_id`,`id`);--> statement-breakpoint
CREATE INDEX `change_requests_new_contact_idx` ON `change_requests` (`new_contact_id`,`id`);--> statement-breakpoint
-- Whether a confirmation's request is still pending, kept by a trigger whoever ends the request,
-- so the requests awaiting an account's answer are one range of confirmations_awaiting_idx.
ALTER TABLE `confirmations` ADD `is_request_pending` integer DEFAULT true NOT NULL;--> statement-breakpoint
UPDATE `confirmations` SET `is_request_pending` = 0 WHERE `request_id` IN (SELECT `id` FROM `change_requests` WHERE `state` <> 'pending');--> statement-breakpoint
CREATE TRIGGER `confirmations_follow_request_state` AFTER UPDATE OF `state` ON `change_requests`
WHEN new.state IS NOT old.state BEGIN
  UPDATE `confirmations` SET `is_request_pending` = (new.state = 'pending') WHERE `request_id` = new.id;
END;--> statement-breakpoint
CREATE INDEX `confirmations_awaiting_idx` ON `confirmations` (`account_id`,`request_id`) WHERE decision IS NULL AND is_request_pending = 1;
