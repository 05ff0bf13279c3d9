import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { query, registerKeyAttributes, writeEntities } from "../../../db/repository";
import { attributeKeys, attributeRelations } from "../../../db/repository/entity-derived";
import { openTestDb, testDatabases } from "../../helpers/test-db";

/** The driver error behind drizzle's "Failed query" wrapper. */
function pgCode(error: unknown): string | undefined {
  let current: unknown = error;
  while (current && typeof current === "object") {
    if ("code" in current && typeof current.code === "string") return current.code;
    current = "cause" in current ? current.cause : undefined;
  }
  return undefined;
}

const ids = {
  contact: "0190a000-0000-7000-8000-000000000001",
  account: "0190a000-0000-7000-8000-000000000002",
  other: "0190a000-0000-7000-8000-000000000003",
  kept: "0190a000-0000-7000-8000-000000000004",
};

describe("the rows derived from an entity's attributes", () => {
  it("keys scalars by their text and a repeatable attribute by each item, once", () => {
    expect(attributeKeys("C-1")).toEqual(["C-1"]);
    expect(attributeKeys(12.5)).toEqual(["12.5"]);
    expect(attributeKeys(false)).toEqual(["false"]);
    expect(attributeKeys(null)).toEqual([]);
    expect(attributeKeys({ $relation: [] })).toEqual([]);
    expect(
      attributeKeys([
        { email: "a@x.de" },
        { email: "a@x.de", phone: "+49 1" },
        "plain",
        null,
        { phone: 7 },
      ]),
    ).toEqual(["a@x.de", "+49 1"]);
  });

  it("keeps relation items that name an entity by id, with their schema, tags, path and item id", () => {
    const rows = attributeRelations("holder", {
      $relation: [
        { entity_id: ids.contact, _schema: "contact", _tags: ["PRIMARY"] },
        { entity_id: "not-an-id", _schema: "contact" },
        { entity_id: ids.other.toUpperCase() },
      ],
      $relation_ref: [{ entity_id: ids.account, path: "address", _id: 5 }],
    });
    expect(rows).toEqual([
      {
        attribute: "holder",
        position: 0,
        kind: "relation",
        to_id: ids.contact,
        to_schema: "contact",
        tags: ["PRIMARY"],
        path: null,
        item_id: null,
      },
      {
        attribute: "holder",
        position: 2,
        kind: "relation",
        to_id: ids.other.toUpperCase(),
        to_schema: null,
        tags: null,
        path: null,
        item_id: null,
      },
    ]);
    // A position both lists hold keeps the relation's item; a list of refs alone keeps them all.
    expect(
      attributeRelations("address", {
        $relation_ref: [{ entity_id: ids.account, path: "address", _id: 5 }],
      }),
    ).toEqual([
      {
        attribute: "address",
        position: 0,
        kind: "ref",
        to_id: ids.account,
        to_schema: null,
        tags: null,
        path: "address",
        item_id: "5",
      },
    ]);
    expect(attributeRelations("x", [{ entity_id: ids.contact }])).toEqual([]);
    expect(attributeRelations("x", "text")).toEqual([]);
  });
});

describe.each(await testDatabases())("entity keys and relation rows on %s", (kind) => {
  let client: DbClient;

  beforeAll(async () => {
    client = await openTestDb(kind);
    // Keyed as lookups would register them; `notes` is not keyed.
    await registerKeyAttributes(client.db, [
      { entity_schema: "contact", attribute: "email" },
      { entity_schema: "contact", attribute: "name" },
      { entity_schema: "billing_account", attribute: "number" },
      { entity_schema: "billing_account", attribute: 'it\'s "quoted", too' },
    ]);
  });

  afterAll(async () => {
    await client?.close();
  });

  // In a transaction, as every writer runs it: its statements go one behind the other.
  const write = (
    ...args: Parameters<typeof writeEntities> extends [unknown, ...infer R] ? R : never
  ) => client.db.transaction((tx) => writeEntities(tx, ...args));

  const keysOf = (id: string) =>
    query<{ attribute: string; value: string }>(
      client.db,
      sql`SELECT attribute, value FROM entity_keys WHERE entity_id = ${id}::uuid ORDER BY attribute, value`,
    );
  const relationsOf = (id: string) =>
    query<{ attribute: string; to_id: string }>(
      client.db,
      sql`SELECT attribute, to_id::text FROM entity_relations WHERE from_id = ${id}::uuid ORDER BY attribute, position`,
    );

  it("writes them for new entities, and an update rebuilds only the attributes it writes", async () => {
    await write(
      [
        {
          id: ids.contact,
          entity_schema: "contact",
          attributes: {
            email: [{ email: "a@x.de" }, { email: "b@x.de" }],
            name: "Ada",
            notes: "not looked up by",
          },
        },
        {
          id: ids.account,
          entity_schema: "billing_account",
          attributes: {
            number: "B-1",
            'it\'s "quoted", too': "yes",
            holder: { $relation: [{ entity_id: ids.contact, _schema: "contact" }] },
          },
        },
      ],
      [],
    );
    expect(await keysOf(ids.contact)).toEqual([
      { attribute: "email", value: "a@x.de" },
      { attribute: "email", value: "b@x.de" },
      { attribute: "name", value: "Ada" },
    ]);
    expect(await relationsOf(ids.account)).toEqual([{ attribute: "holder", to_id: ids.contact }]);

    await write(
      [],
      [
        {
          id: ids.account,
          entity_schema: "billing_account",
          attributes: { 'it\'s "quoted", too': "no", holder: { $relation: [] } },
        },
      ],
    );
    expect(await keysOf(ids.account)).toEqual([
      { attribute: 'it\'s "quoted", too', value: "no" },
      { attribute: "number", value: "B-1" },
    ]);
    expect(await relationsOf(ids.account)).toEqual([]);
  });

  it("leaves the rows of an attribute written again as it was where they are", async () => {
    const holder = { $relation: [{ entity_id: ids.contact }] };
    const attributes = {
      number: "B-2",
      holder,
      owner: { $relation: [{ entity_id: ids.account }] },
    };
    const kept = { id: ids.kept, entity_schema: "billing_account" };
    await write([{ ...kept, attributes }], []);
    // A row deleted and written again moves: its ctid tells the two apart.
    const rows = async () => ({
      keys: await query<{ attribute: string; value: string; ctid: string }>(
        client.db,
        sql`SELECT attribute, value, ctid::text FROM entity_keys WHERE entity_id = ${ids.kept}::uuid ORDER BY attribute`,
      ),
      relations: await query<{ attribute: string; to_id: string; ctid: string }>(
        client.db,
        sql`SELECT attribute, to_id::text, ctid::text FROM entity_relations WHERE from_id = ${ids.kept}::uuid ORDER BY attribute`,
      ),
    });
    const first = await rows();
    const update = { number: "B-2", holder, owner: { $relation: [{ entity_id: ids.contact }] } };
    const stored = new Map([[ids.kept, attributes]]);
    await write([], [{ ...kept, attributes: update }], null, () => {}, stored);
    const second = await rows();
    expect(second.keys).toEqual(first.keys);
    expect(second.relations[0]).toEqual(first.relations[0]);
    expect(second.relations[1]).toMatchObject({ attribute: "owner", to_id: ids.contact });
    expect(second.relations[1]?.ctid).not.toBe(first.relations[1]?.ctid);

    // A changed value replaces its key.
    stored.set(ids.kept, update);
    await write([], [{ ...kept, attributes: { number: "B-3" } }], null, () => {}, stored);
    expect(await keysOf(ids.kept)).toEqual([{ attribute: "number", value: "B-3" }]);
    expect((await rows()).relations).toEqual(second.relations);
  });

  it("refuses a key or relation row of an entity that does not exist", async () => {
    const key = await client.db
      .execute(
        sql`INSERT INTO entity_keys (entity_id, entity_schema, attribute, value) VALUES (${ids.other}::uuid, 'meter', 'n', '1')`,
      )
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgCode(key)).toBe("23503");
    const relation = await client.db
      .execute(
        // Among rows of an entity that exists, checked once per entity named.
        sql`INSERT INTO entity_relations (from_id, attribute, position, kind, to_id) VALUES
          (${ids.contact}::uuid, 'a', 0, 'relation', ${ids.account}::uuid),
          (${ids.other}::uuid, 'a', 0, 'relation', ${ids.contact}::uuid),
          (${ids.contact}::uuid, 'a', 1, 'relation', ${ids.account}::uuid)`,
      )
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgCode(relation)).toBe("23503");
  });

  it("removes them with their entity", async () => {
    await write(
      [],
      [
        {
          id: ids.contact,
          entity_schema: "contact",
          attributes: { friend: { $relation: [{ entity_id: ids.account }] } },
        },
      ],
    );
    expect(await relationsOf(ids.contact)).toEqual([{ attribute: "friend", to_id: ids.account }]);
    await client.db.execute(sql`DELETE FROM entities WHERE id = ${ids.contact}::uuid`);
    expect(await keysOf(ids.contact)).toEqual([]);
    expect(await relationsOf(ids.contact)).toEqual([]);
    // The account's relation to the contact stays: relations point at ids, not foreign keys.
    expect(await keysOf(ids.account)).toHaveLength(2);
  });
});
