CREATE INDEX "customers_shop_deleted_idx" ON "customers" USING btree ("shop","deleted_at","id") WHERE "customers"."deleted_at" is not null;--> statement-breakpoint
-- drizzle/0016 in PostgreSQL's words (decision 034): a customer Shopify deleted (customers.deleted_at) leaves every
-- kept figure as a row delete would and comes back when un-deleted (decision 036); then every shop is recounted.
CREATE OR REPLACE FUNCTION tally_customer_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_live int := 0;
  new_live int := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN old_live := (OLD.deleted_at IS NULL)::int; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN new_live := (NEW.deleted_at IS NULL)::int; END IF;
  IF TG_OP = 'INSERT' OR (old_live = 0 AND new_live = 1) THEN
    INSERT INTO customer_counts (shop) VALUES (NEW.shop) ON CONFLICT DO NOTHING;
  END IF;
  IF old_live = 1 THEN
    UPDATE customer_counts SET
      customers = customers - 1,
      members = members - (OLD.status = 'member')::int,
      guests = guests - (OLD.status = 'guest')::int,
      paying = paying - (OLD.amount_spent_minor > 0)::int,
      non_converting = non_converting - (OLD.last_checkout_at IS NOT NULL AND OLD.orders_count = 0)::int,
      opted_in = opted_in - (OLD.email_marketing_state IS NOT DISTINCT FROM 'SUBSCRIBED')::int,
      blocked = blocked - (OLD.blocked = 1)::int,
      points_outstanding = points_outstanding - greatest(OLD.points_balance, 0),
      points_owed = points_owed - greatest(-OLD.points_balance, 0),
      customers_owing = customers_owing - (OLD.points_balance < 0)::int
    WHERE shop = OLD.shop;
  END IF;
  IF new_live = 1 THEN
    UPDATE customer_counts SET
      customers = customers + 1,
      members = members + (NEW.status = 'member')::int,
      guests = guests + (NEW.status = 'guest')::int,
      paying = paying + (NEW.amount_spent_minor > 0)::int,
      non_converting = non_converting + (NEW.last_checkout_at IS NOT NULL AND NEW.orders_count = 0)::int,
      opted_in = opted_in + (NEW.email_marketing_state IS NOT DISTINCT FROM 'SUBSCRIBED')::int,
      blocked = blocked + (NEW.blocked = 1)::int,
      points_outstanding = points_outstanding + greatest(NEW.points_balance, 0),
      points_owed = points_owed + greatest(-NEW.points_balance, 0),
      customers_owing = customers_owing + (NEW.points_balance < 0)::int
    WHERE shop = NEW.shop;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER customers_counts_update ON customers;--> statement-breakpoint
CREATE TRIGGER customers_counts_update AFTER UPDATE OF status, blocked, amount_spent_minor, orders_count,
  email_marketing_state, last_checkout_at, points_balance, deleted_at ON customers FOR EACH ROW
  WHEN ((OLD.deleted_at IS NULL OR NEW.deleted_at IS NULL) AND (OLD.status IS DISTINCT FROM NEW.status
    OR OLD.blocked IS DISTINCT FROM NEW.blocked
    OR OLD.amount_spent_minor IS DISTINCT FROM NEW.amount_spent_minor OR OLD.orders_count IS DISTINCT FROM NEW.orders_count
    OR OLD.email_marketing_state IS DISTINCT FROM NEW.email_marketing_state
    OR OLD.last_checkout_at IS DISTINCT FROM NEW.last_checkout_at OR OLD.points_balance IS DISTINCT FROM NEW.points_balance
    OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)))
  EXECUTE FUNCTION tally_customer_counts();--> statement-breakpoint
-- customer_tags holds the tags of customers not deleted only; its own trigger keeps the tag facets from it.
CREATE OR REPLACE FUNCTION tally_customer_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM customer_tags WHERE shop = OLD.shop AND customer_id = OLD.id
      AND (TG_OP = 'DELETE' OR NEW.deleted_at IS NOT NULL OR tag NOT IN (
        SELECT j.value #>> '{}' FROM jsonb_array_elements(NEW.tags::jsonb) j WHERE jsonb_typeof(j.value) = 'string'));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
    INSERT INTO customer_tags (shop, tag, customer_id)
      SELECT DISTINCT NEW.shop, j.value #>> '{}', NEW.id FROM jsonb_array_elements(NEW.tags::jsonb) j
      WHERE jsonb_typeof(j.value) = 'string'
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER customers_tags_insert ON customers;--> statement-breakpoint
CREATE TRIGGER customers_tags_insert AFTER INSERT ON customers FOR EACH ROW
  WHEN (NEW.tags <> '[]' AND NEW.deleted_at IS NULL) EXECUTE FUNCTION tally_customer_tags();--> statement-breakpoint
DROP TRIGGER customers_tags_update ON customers;--> statement-breakpoint
CREATE TRIGGER customers_tags_update AFTER UPDATE OF tags, deleted_at ON customers FOR EACH ROW
  WHEN (OLD.tags IS DISTINCT FROM NEW.tags OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
  EXECUTE FUNCTION tally_customer_tags();--> statement-breakpoint
CREATE OR REPLACE FUNCTION tally_country_facets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_value text;
  new_value text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN old_value := OLD.country_code; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN new_value := NEW.country_code; END IF;
  IF old_value IS NOT DISTINCT FROM new_value THEN RETURN NULL; END IF;
  IF old_value IS NOT NULL THEN
    UPDATE customer_facets SET customers = customers - 1
      WHERE shop = OLD.shop AND facet = 'country' AND value = old_value;
  END IF;
  IF new_value IS NOT NULL THEN
    INSERT INTO customer_facets (shop, facet, value, customers) VALUES (NEW.shop, 'country', new_value, 1)
      ON CONFLICT (shop, facet, value) DO UPDATE SET customers = customer_facets.customers + 1;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER customers_country_update ON customers;--> statement-breakpoint
CREATE TRIGGER customers_country_update AFTER UPDATE OF country_code, deleted_at ON customers FOR EACH ROW
  WHEN (OLD.country_code IS DISTINCT FROM NEW.country_code OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
  EXECUTE FUNCTION tally_country_facets();--> statement-breakpoint
CREATE OR REPLACE FUNCTION tally_member_growth() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_day text;
  new_day text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'member' AND OLD.deleted_at IS NULL THEN
    old_day := tally_utc_day(coalesce(OLD.member_since, OLD.joined_at, OLD.created_at));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'member' AND NEW.deleted_at IS NULL THEN
    new_day := tally_utc_day(coalesce(NEW.member_since, NEW.joined_at, NEW.created_at));
  END IF;
  IF old_day IS NOT DISTINCT FROM new_day THEN RETURN NULL; END IF;
  IF old_day IS NOT NULL THEN
    UPDATE member_growth SET members = members - 1 WHERE shop = OLD.shop AND day = old_day;
  END IF;
  IF new_day IS NOT NULL THEN
    INSERT INTO member_growth (shop, day, members) VALUES (NEW.shop, new_day, 1)
      ON CONFLICT (shop, day) DO UPDATE SET members = member_growth.members + 1;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER customers_growth_update ON customers;--> statement-breakpoint
CREATE TRIGGER customers_growth_update AFTER UPDATE OF status, member_since, joined_at, deleted_at ON customers FOR EACH ROW
  EXECUTE FUNCTION tally_member_growth();--> statement-breakpoint
-- Once, for customers deleted before these triggers: every shop's figures from its customers not deleted.
UPDATE customer_counts SET customers = 0, members = 0, guests = 0, paying = 0, non_converting = 0, opted_in = 0,
  blocked = 0, points_outstanding = 0, points_owed = 0, customers_owing = 0;--> statement-breakpoint
INSERT INTO customer_counts (shop, customers, members, guests, paying, non_converting, opted_in, blocked,
    points_outstanding, points_owed, customers_owing)
  SELECT shop, count(*), count(*) FILTER (WHERE status = 'member'), count(*) FILTER (WHERE status = 'guest'),
    count(*) FILTER (WHERE amount_spent_minor > 0), count(*) FILTER (WHERE last_checkout_at IS NOT NULL AND orders_count = 0),
    count(*) FILTER (WHERE email_marketing_state = 'SUBSCRIBED'), count(*) FILTER (WHERE blocked = 1),
    coalesce(sum(greatest(points_balance, 0)), 0), coalesce(sum(greatest(-points_balance, 0)), 0),
    count(*) FILTER (WHERE points_balance < 0)
  FROM customers WHERE deleted_at IS NULL GROUP BY shop
  ON CONFLICT (shop) DO UPDATE SET customers = excluded.customers, members = excluded.members,
    guests = excluded.guests, paying = excluded.paying, non_converting = excluded.non_converting,
    opted_in = excluded.opted_in, blocked = excluded.blocked, points_outstanding = excluded.points_outstanding,
    points_owed = excluded.points_owed, customers_owing = excluded.customers_owing;--> statement-breakpoint
DELETE FROM customer_tags WHERE customer_id IN (SELECT id FROM customers WHERE deleted_at IS NOT NULL);--> statement-breakpoint
DELETE FROM customer_facets WHERE facet = 'country';--> statement-breakpoint
INSERT INTO customer_facets (shop, facet, value, customers)
  SELECT shop, 'country', country_code, count(*) FROM customers WHERE country_code IS NOT NULL AND deleted_at IS NULL
  GROUP BY shop, country_code;--> statement-breakpoint
DELETE FROM member_growth;--> statement-breakpoint
INSERT INTO member_growth (shop, day, members)
  SELECT shop, day, count(*) FROM (
    SELECT shop, tally_utc_day(coalesce(member_since, joined_at, created_at)) AS day FROM customers
    WHERE status = 'member' AND deleted_at IS NULL) days
  WHERE day IS NOT NULL GROUP BY shop, day;
