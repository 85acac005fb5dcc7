import { sql } from "drizzle-orm";
import type { Tx } from "./transaction.server";
import { isPostgres } from "./which-dialect";

/*
 * The repair path of the directory's kept figures (decision 019). Triggers keep customer_counts, customer_tags,
 * customer_facets and member_growth in step with `customers` (migration 0009), counting only customers Shopify has not
 * deleted (migration 0016, decision 036), points outstanding of customers not blocked only (0040, decision 062) and a
 * tag once whatever its case (0025: `lower()`, PostgreSQL's `tally_tag_key`); this recounts one shop's from its rows,
 * in the caller's transaction. SQLite's own SQL (json_each, total()); on PostgreSQL (decision 034) the same counts
 * with jsonb_array_elements, and the triggers in PL/pgSQL (drizzle/postgres/0001, 0003, 0012, 0019, 0027).
 */

/** The expressions the triggers count, as SQL over a customer row; kept beside the migration's, word for word. */
/** member_growth's key: the quarter hour of UTC a customer became a member in ("2026-11-12T14:45", migration 0032). */
const memberSlot = sql`strftime('%Y-%m-%dT%H:', coalesce(member_since, joined_at, created_at)) || printf('%02d', strftime('%M', coalesce(member_since, joined_at, created_at)) / 15 * 15)`;

/**
 * Recounts every kept figure of one shop from its customers. better-sqlite3 runs each statement as it is issued; the
 * promise is for the callers' sake, which PostgreSQL's driver will make real.
 */
export function recountCustomerFigures(tx: Tx, shop: string): Promise<void> {
  if (isPostgres(tx)) return recountOnPostgres(tx, shop);
  tx.run(sql`delete from customer_counts where shop = ${shop}`);
  tx.run(sql`
    insert into customer_counts (shop, customers, members, guests, paying, non_converting, opted_in, blocked, points_outstanding,
      points_owed, customers_owing)
    select ${shop}, count(*), total(status = 'member'), total(status = 'guest'), total(amount_spent_minor > 0),
      total(last_checkout_at is not null and orders_count = 0), total(email_marketing_state is 'SUBSCRIBED'),
      total(blocked = 1), total(max(points_balance, 0) * (blocked = 0)), total(max(-points_balance, 0)),
      total(points_balance < 0)
    from customers where shop = ${shop} and deleted_at is null`);
  // Deleting the tag rows takes their counts down through their trigger; the facet rows then start from nothing.
  tx.run(sql`delete from customer_tags where shop = ${shop}`);
  tx.run(sql`delete from customer_facets where shop = ${shop}`);
  tx.run(sql`
    insert into customer_tags (shop, tag_key, tag, customer_id)
    select c.shop, lower(j.value), j.value, c.id from customers c, json_each(c.tags) j
    where c.shop = ${shop} and c.deleted_at is null and j.type = 'text'
    on conflict do nothing`);
  tx.run(sql`
    insert into customer_facets (shop, facet, value, customers)
    select shop, 'country', country_code, count(*) from customers
    where shop = ${shop} and country_code is not null and deleted_at is null group by country_code`);
  tx.run(sql`delete from member_growth where shop = ${shop}`);
  tx.run(sql`
    insert into member_growth (shop, day, members)
    select ${shop}, ${memberSlot} as day, count(*) from customers
    where shop = ${shop} and status = 'member' and deleted_at is null and ${memberSlot} is not null group by day`);
  return Promise.resolve();
}

async function recountOnPostgres(tx: Tx, shop: string): Promise<void> {
  const run = (query: ReturnType<typeof sql>) =>
    (tx as unknown as { execute(q: unknown): Promise<unknown> }).execute(query);
  await run(sql`delete from customer_counts where shop = ${shop}`);
  await run(sql`
    insert into customer_counts (shop, customers, members, guests, paying, non_converting, opted_in, blocked, points_outstanding,
      points_owed, customers_owing)
    select ${shop}, count(*), count(*) filter (where status = 'member'), count(*) filter (where status = 'guest'),
      count(*) filter (where amount_spent_minor > 0),
      count(*) filter (where last_checkout_at is not null and orders_count = 0),
      count(*) filter (where email_marketing_state = 'SUBSCRIBED'), count(*) filter (where blocked = 1),
      coalesce(sum(greatest(points_balance, 0)) filter (where blocked = 0), 0),
      coalesce(sum(greatest(-points_balance, 0)), 0),
      count(*) filter (where points_balance < 0)
    from customers where shop = ${shop} and deleted_at is null`);
  await run(sql`delete from customer_tags where shop = ${shop}`);
  await run(sql`delete from customer_facets where shop = ${shop}`);
  await run(sql`
    insert into customer_tags (shop, tag_key, tag, customer_id)
    select distinct on (c.id, tally_tag_key(j.value #>> '{}')) c.shop, tally_tag_key(j.value #>> '{}'), j.value #>> '{}', c.id
    from customers c, jsonb_array_elements(c.tags::jsonb) with ordinality j(value, position)
    where c.shop = ${shop} and c.deleted_at is null and jsonb_typeof(j.value) = 'string'
    order by c.id, tally_tag_key(j.value #>> '{}'), j.position`);
  await run(sql`
    insert into customer_facets (shop, facet, value, customers)
    select shop, 'country', country_code, count(*) from customers
    where shop = ${shop} and country_code is not null and deleted_at is null group by shop, country_code`);
  await run(sql`delete from member_growth where shop = ${shop}`);
  await run(sql`
    insert into member_growth (shop, day, members)
    select ${shop}, day, count(*) from (
      select tally_growth_slot(coalesce(member_since, joined_at, created_at)) as day from customers
      where shop = ${shop} and status = 'member' and deleted_at is null) days
    where day is not null group by day`);
}
