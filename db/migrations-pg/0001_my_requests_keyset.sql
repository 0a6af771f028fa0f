-- My requests reads each party's requests newest first from a (party, id) index, and one state's
-- from a (party, state, id) index, so a page costs a page however many requests an account has.
DROP INDEX "change_requests_requested_by_idx";--> statement-breakpoint
DROP INDEX "change_requests_old_contact_idx";--> statement-breakpoint
DROP INDEX "change_requests_new_contact_idx";--> statement-breakpoint
-- The service's administrator now, copied onto its requests: added, filled, then required.
ALTER TABLE "change_requests" ADD COLUMN "service_admin_id" integer;--> statement-breakpoint
UPDATE "change_requests" SET "service_admin_id" = s."admin_id" FROM "services" s WHERE s."id" = "change_requests"."service_id";--> statement-breakpoint
ALTER TABLE "change_requests" ALTER COLUMN "service_admin_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_service_admin_id_accounts_id_fk" FOREIGN KEY ("service_admin_id") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Whoever changes a service's administrator (a request applied, an operator's tool), its requests
-- move to the new administrator's list in the same statement.
CREATE FUNCTION "change_requests_follow_service_admin"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE change_requests SET service_admin_id = NEW.admin_id WHERE service_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "change_requests_follow_service_admin" AFTER UPDATE OF "admin_id" ON "services"
  FOR EACH ROW WHEN (OLD."admin_id" IS DISTINCT FROM NEW."admin_id")
  EXECUTE FUNCTION "change_requests_follow_service_admin"();--> statement-breakpoint
-- Whether a confirmation's request is still pending, kept by a trigger whoever ends the request,
-- so the requests awaiting an account's answer are one range of confirmations_awaiting_idx.
ALTER TABLE "confirmations" ADD COLUMN "is_request_pending" boolean DEFAULT true NOT NULL;--> statement-breakpoint
UPDATE "confirmations" SET "is_request_pending" = false FROM "change_requests" r WHERE r."id" = "confirmations"."request_id" AND r."state" <> 'pending';--> statement-breakpoint
CREATE FUNCTION "confirmations_follow_request_state"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE confirmations SET is_request_pending = (NEW.state = 'pending') WHERE request_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "confirmations_follow_request_state" AFTER UPDATE OF "state" ON "change_requests"
  FOR EACH ROW WHEN (OLD."state" IS DISTINCT FROM NEW."state")
  EXECUTE FUNCTION "confirmations_follow_request_state"();--> statement-breakpoint
CREATE INDEX "change_requests_service_admin_idx" ON "change_requests" USING btree ("service_admin_id","id");--> statement-breakpoint
CREATE INDEX "change_requests_requested_by_state_idx" ON "change_requests" USING btree ("requested_by_id","state","id");--> statement-breakpoint
CREATE INDEX "change_requests_old_contact_state_idx" ON "change_requests" USING btree ("old_contact_id","state","id");--> statement-breakpoint
CREATE INDEX "change_requests_new_contact_state_idx" ON "change_requests" USING btree ("new_contact_id","state","id");--> statement-breakpoint
CREATE INDEX "change_requests_service_admin_state_idx" ON "change_requests" USING btree ("service_admin_id","state","id");--> statement-breakpoint
CREATE INDEX "confirmations_awaiting_idx" ON "confirmations" USING btree ("account_id","request_id") WHERE decision IS NULL AND is_request_pending;--> statement-breakpoint
CREATE INDEX "change_requests_requested_by_idx" ON "change_requests" USING btree ("requested_by_id","id");--> statement-breakpoint
CREATE INDEX "change_requests_old_contact_idx" ON "change_requests" USING btree ("old_contact_id","id");--> statement-breakpoint
CREATE INDEX "change_requests_new_contact_idx" ON "change_requests" USING btree ("new_contact_id","id");
