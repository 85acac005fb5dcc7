-- Tags are matched whatever their case, as Shopify matches them (SQLite's 0025): customer_tags is keyed by the tag's
-- key and keeps the spelling the customer carries; the tag facets count spellings and carry the key. tally_tag_key
-- is tagKey (app/domain/customers/tags.ts) in SQL: ASCII letters lower-cased, as SQLite's lower() does, whatever the
-- database's own collation (the "C" collation's lower() folds ASCII only).
CREATE FUNCTION tally_tag_key(tag text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN lower(tag COLLATE "C");--> statement-breakpoint
ALTER TABLE "customer_tags" ADD COLUMN "tag_key" text;--> statement-breakpoint
UPDATE "customer_tags" SET "tag_key" = tally_tag_key("tag");--> statement-breakpoint
-- A customer holding two spellings of one tag (which Shopify does not allow) keeps one of them.
DELETE FROM "customer_tags" a USING "customer_tags" b
  WHERE a.shop = b.shop AND a.customer_id = b.customer_id AND a.tag_key = b.tag_key AND a.tag > b.tag;--> statement-breakpoint
ALTER TABLE "customer_tags" ALTER COLUMN "tag_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_tags" DROP CONSTRAINT "customer_tags_shop_tag_customer_id_pk";--> statement-breakpoint
ALTER TABLE "customer_tags" ADD CONSTRAINT "customer_tags_shop_tag_key_customer_id_pk" PRIMARY KEY("shop","tag_key","customer_id");--> statement-breakpoint
ALTER TABLE "customer_facets" ADD COLUMN "value_key" text;--> statement-breakpoint
CREATE INDEX "customer_facets_shop_key_idx" ON "customer_facets" USING btree ("shop","facet","value_key");--> statement-breakpoint
DELETE FROM customer_facets WHERE facet = 'tag';--> statement-breakpoint
INSERT INTO customer_facets (shop, facet, value, value_key, customers)
  SELECT shop, 'tag', tag, tally_tag_key(tag), count(*) FROM customer_tags GROUP BY shop, tag;--> statement-breakpoint
-- A tag respelled ("vip" to "VIP") leaves as the old spelling and comes back as the new one, so the facets follow it.
CREATE OR REPLACE FUNCTION tally_customer_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM customer_tags WHERE shop = OLD.shop AND customer_id = OLD.id
      AND tag_key IN (
        SELECT tally_tag_key(j.value #>> '{}') FROM jsonb_array_elements(OLD.tags::jsonb) j WHERE jsonb_typeof(j.value) = 'string')
      AND (TG_OP = 'DELETE' OR NEW.deleted_at IS NOT NULL OR tag NOT IN (
        SELECT j.value #>> '{}' FROM jsonb_array_elements(NEW.tags::jsonb) j WHERE jsonb_typeof(j.value) = 'string'));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
    INSERT INTO customer_tags (shop, tag_key, tag, customer_id)
      SELECT DISTINCT ON (tally_tag_key(j.value #>> '{}')) NEW.shop, tally_tag_key(j.value #>> '{}'), j.value #>> '{}', NEW.id
      FROM jsonb_array_elements(NEW.tags::jsonb) WITH ORDINALITY j(value, position)
      WHERE jsonb_typeof(j.value) = 'string'
      ORDER BY tally_tag_key(j.value #>> '{}'), j.position
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tally_tag_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_facets (shop, facet, value, value_key, customers) VALUES (NEW.shop, 'tag', NEW.tag, NEW.tag_key, 1)
      ON CONFLICT (shop, facet, value) DO UPDATE SET customers = customer_facets.customers + 1;
  ELSE
    UPDATE customer_facets SET customers = customers - 1 WHERE shop = OLD.shop AND facet = 'tag' AND value = OLD.tag;
  END IF;
  RETURN NULL;
END $$;
