-- What SQLite's hand-written migration SQL does (drizzle/0009, 0010), in PostgreSQL's words (decision 034): the
-- directory's trigram search index, and the triggers that keep its counters in the transaction of every change.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "customers_search_trgm_idx" ON "customers" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
-- SQLite's date(): the UTC day of an ISO-8601 time, or null when it is not one.
CREATE FUNCTION tally_utc_day(value text) RETURNS text LANGUAGE plpgsql IMMUTABLE SET TimeZone TO 'UTC' AS $$
BEGIN
  IF value IS NULL THEN RETURN NULL; END IF;
  RETURN to_char(value::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD');
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION tally_customer_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_counts (shop) VALUES (NEW.shop) ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE customer_counts SET
      customers = customers - (TG_OP = 'DELETE')::int,
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
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE customer_counts SET
      customers = customers + (TG_OP = 'INSERT')::int,
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
CREATE TRIGGER customers_counts_insert AFTER INSERT OR DELETE ON customers
  FOR EACH ROW EXECUTE FUNCTION tally_customer_counts();--> statement-breakpoint
CREATE TRIGGER customers_counts_update AFTER UPDATE OF status, blocked, amount_spent_minor, orders_count,
  email_marketing_state, last_checkout_at, points_balance ON customers FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.blocked IS DISTINCT FROM NEW.blocked
    OR OLD.amount_spent_minor IS DISTINCT FROM NEW.amount_spent_minor OR OLD.orders_count IS DISTINCT FROM NEW.orders_count
    OR OLD.email_marketing_state IS DISTINCT FROM NEW.email_marketing_state
    OR OLD.last_checkout_at IS DISTINCT FROM NEW.last_checkout_at OR OLD.points_balance IS DISTINCT FROM NEW.points_balance)
  EXECUTE FUNCTION tally_customer_counts();--> statement-breakpoint
-- The customer's tags (a JSON array in text) as rows of customer_tags; their own trigger keeps the tag facets.
CREATE FUNCTION tally_customer_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM customer_tags WHERE shop = OLD.shop AND customer_id = OLD.id
      AND (TG_OP = 'DELETE' OR tag NOT IN (
        SELECT j.value #>> '{}' FROM jsonb_array_elements(NEW.tags::jsonb) j WHERE jsonb_typeof(j.value) = 'string'));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO customer_tags (shop, tag, customer_id)
      SELECT DISTINCT NEW.shop, j.value #>> '{}', NEW.id FROM jsonb_array_elements(NEW.tags::jsonb) j
      WHERE jsonb_typeof(j.value) = 'string'
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER customers_tags_insert AFTER INSERT ON customers FOR EACH ROW
  WHEN (NEW.tags <> '[]') EXECUTE FUNCTION tally_customer_tags();--> statement-breakpoint
CREATE TRIGGER customers_tags_update AFTER UPDATE OF tags ON customers FOR EACH ROW
  WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION tally_customer_tags();--> statement-breakpoint
CREATE TRIGGER customers_tags_delete AFTER DELETE ON customers FOR EACH ROW
  WHEN (OLD.tags <> '[]') EXECUTE FUNCTION tally_customer_tags();--> statement-breakpoint
CREATE FUNCTION tally_tag_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_facets (shop, facet, value, customers) VALUES (NEW.shop, 'tag', NEW.tag, 1)
      ON CONFLICT (shop, facet, value) DO UPDATE SET customers = customer_facets.customers + 1;
  ELSE
    UPDATE customer_facets SET customers = customers - 1 WHERE shop = OLD.shop AND facet = 'tag' AND value = OLD.tag;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER customer_tags_facets AFTER INSERT OR DELETE ON customer_tags FOR EACH ROW
  EXECUTE FUNCTION tally_tag_facets();--> statement-breakpoint
CREATE FUNCTION tally_country_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.country_code IS NOT NULL THEN
    UPDATE customer_facets SET customers = customers - 1
      WHERE shop = OLD.shop AND facet = 'country' AND value = OLD.country_code;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.country_code IS NOT NULL THEN
    INSERT INTO customer_facets (shop, facet, value, customers) VALUES (NEW.shop, 'country', NEW.country_code, 1)
      ON CONFLICT (shop, facet, value) DO UPDATE SET customers = customer_facets.customers + 1;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER customers_country AFTER INSERT OR DELETE ON customers FOR EACH ROW
  EXECUTE FUNCTION tally_country_facets();--> statement-breakpoint
CREATE TRIGGER customers_country_update AFTER UPDATE OF country_code ON customers FOR EACH ROW
  WHEN (OLD.country_code IS DISTINCT FROM NEW.country_code) EXECUTE FUNCTION tally_country_facets();--> statement-breakpoint
-- Members by the day they joined: coalesce(member_since, joined_at, created_at), as SQLite's triggers count it.
CREATE FUNCTION tally_member_growth() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_day text;
  new_day text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'member' THEN
    old_day := tally_utc_day(coalesce(OLD.member_since, OLD.joined_at, OLD.created_at));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'member' THEN
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
CREATE TRIGGER customers_growth AFTER INSERT OR DELETE ON customers FOR EACH ROW
  EXECUTE FUNCTION tally_member_growth();--> statement-breakpoint
CREATE TRIGGER customers_growth_update AFTER UPDATE OF status, member_since, joined_at ON customers FOR EACH ROW
  EXECUTE FUNCTION tally_member_growth();
