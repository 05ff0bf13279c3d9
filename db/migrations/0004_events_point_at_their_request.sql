ALTER TABLE "inbound_events" DROP COLUMN "payload";--> statement-breakpoint
ALTER TABLE "inbound_events" DROP COLUMN "payload_bytes";