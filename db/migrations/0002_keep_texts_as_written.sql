ALTER TABLE "config_versions" ADD COLUMN "config_text" text;--> statement-breakpoint
ALTER TABLE "sample_payloads" ADD COLUMN "payload_text" text;--> statement-breakpoint
ALTER TABLE "use_cases" ADD COLUMN "draft_text" text;