CREATE TABLE "import_codes" (
	"code" text NOT NULL,
	"import_id" uuid NOT NULL,
	"action" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "import_codes_pk" PRIMARY KEY("code","import_id")
);
--> statement-breakpoint
CREATE TABLE "import_meters" (
	"meter_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	CONSTRAINT "import_meters_pk" PRIMARY KEY("meter_id","import_id")
);
--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "error_code" text;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "error_message" text;--> statement-breakpoint
ALTER TABLE "import_codes" ADD CONSTRAINT "import_codes_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_meters" ADD CONSTRAINT "import_meters_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_codes_import_idx" ON "import_codes" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "import_meters_import_idx" ON "import_meters" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "entities_meter_idx" ON "entities" USING btree ("meter_id");--> statement-breakpoint
CREATE INDEX "entity_keys_value_idx" ON "entity_keys" USING btree ("value","entity_schema");--> statement-breakpoint
CREATE INDEX "imports_standalone_started_idx" ON "imports" USING btree ("started_at","id") WHERE trigger <> 'api';--> statement-breakpoint
CREATE INDEX "imports_trigger_started_idx" ON "imports" USING btree ("trigger","started_at");--> statement-breakpoint
CREATE INDEX "imports_inbound_event_idx" ON "imports" USING btree ("inbound_event_id");--> statement-breakpoint
CREATE INDEX "inbound_events_received_idx" ON "inbound_events" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "inbound_events_status_received_idx" ON "inbound_events" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "inbound_events_use_case_received_idx" ON "inbound_events" USING btree ("use_case_id","received_at");--> statement-breakpoint
CREATE INDEX "inbound_events_integration_received_idx" ON "inbound_events" USING btree ("integration_id","received_at");--> statement-breakpoint
CREATE INDEX "inbound_events_correlation_idx" ON "inbound_events" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "inbound_events_error_code_received_idx" ON "inbound_events" USING btree ("error_code","received_at");--> statement-breakpoint
CREATE INDEX "inbound_events_import_idx" ON "inbound_events" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "readings_meter_timestamp_idx" ON "readings" USING btree ("meter_id","timestamp");