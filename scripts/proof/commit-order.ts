import { sql } from "drizzle-orm";
import type { DbClient } from "../../db/client";
import { query } from "../../db/repository";

/**
 * The proof's own bookkeeping in its own database (the app never reads it): the order in which
 * imports committed. A deferred constraint trigger on `imports` fires while its transaction
 * commits, after all its statements, and takes the next number of a sequence. Two imports that
 * write the same rows cannot both be there at once (the second waits for the first's row or
 * advisory locks, which are released only by its commit), so for them these numbers are their
 * commit order, as the database saw it, whatever the app's own timestamps say.
 */
export async function installCommitOrder(client: DbClient): Promise<void> {
  await client.db.execute(
    sql.raw(`CREATE TABLE IF NOT EXISTS proof_commit_order (
      seq bigserial PRIMARY KEY,
      import_id uuid NOT NULL
    )`),
  );
  await client.db.execute(
    sql.raw(`CREATE OR REPLACE FUNCTION proof_record_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO proof_commit_order (import_id) VALUES (NEW.id);
        RETURN NULL;
      END $$`),
  );
  await client.db.execute(
    sql.raw(`CREATE CONSTRAINT TRIGGER proof_commit_order AFTER INSERT ON imports
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION proof_record_commit()`),
  );
}

/** Each committed import's place in the commit order. */
export async function commitOrder(client: DbClient): Promise<Map<string, number>> {
  const rows = await query<{ import_id: string; seq: string }>(
    client.db,
    sql`SELECT import_id, seq FROM proof_commit_order`,
  );
  return new Map(rows.map((r) => [r.import_id, Number(r.seq)]));
}
