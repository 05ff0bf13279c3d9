CREATE TABLE "integration_variables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"integration_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"secret" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_variables_integration_key_unique" UNIQUE("integration_id","key"),
	CONSTRAINT "integration_variables_key_check" CHECK ("integration_variables"."key" ~ '^[a-z0-9][a-z0-9_.-]{0,127}$')
);
--> statement-breakpoint
ALTER TABLE "sample_payloads" ADD COLUMN "format" text DEFAULT 'json' NOT NULL;--> statement-breakpoint
ALTER TABLE "integration_variables" ADD CONSTRAINT "integration_variables_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_payloads" ADD CONSTRAINT "sample_payloads_format_check" CHECK ("sample_payloads"."format" in ('json', 'xml'));