-- These columns hold gzip: Postgres' own compression (pglz) found nothing to gain in them, but
-- only after reading each value through, which took a 40k-entity import's record 20-30 ms inside
-- its transaction. EXTERNAL keeps large values out of line, uncompressed.
ALTER TABLE "imports" ALTER COLUMN "decisions" SET STORAGE EXTERNAL;
--> statement-breakpoint
ALTER TABLE "imports" ALTER COLUMN "audit" SET STORAGE EXTERNAL;
--> statement-breakpoint
ALTER TABLE "inbound_requests" ALTER COLUMN "body" SET STORAGE EXTERNAL;
