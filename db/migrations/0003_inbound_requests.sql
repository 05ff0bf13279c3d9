CREATE TABLE "inbound_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"integration_id" uuid NOT NULL,
	"correlation_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"body" "bytea",
	"body_bytes" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "request_id" uuid;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "event_index" integer;--> statement-breakpoint
ALTER TABLE "inbound_requests" ADD CONSTRAINT "inbound_requests_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD CONSTRAINT "inbound_events_request_id_inbound_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."inbound_requests"("id") ON DELETE cascade ON UPDATE no action;