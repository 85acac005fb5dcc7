-- drizzle/0041 in PostgreSQL's words (decision 034): Home's points outstanding leaves out blocked customers' points
-- (decision 062), a blocked customer cannot redeem them. The counts function of 0003 adds a balance to
-- points_outstanding only while its customer is neither deleted nor blocked; its triggers already fire on `blocked`.
-- Debts (points_owed) still count, blocked or not.
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
      points_outstanding = points_outstanding - (OLD.blocked = 0)::int * greatest(OLD.points_balance, 0),
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
      points_outstanding = points_outstanding + (NEW.blocked = 0)::int * greatest(NEW.points_balance, 0),
      points_owed = points_owed + greatest(-NEW.points_balance, 0),
      customers_owing = customers_owing + (NEW.points_balance < 0)::int
    WHERE shop = NEW.shop;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Once: the blocked customers' points come off each shop's figure, read through their partial index (the few).
UPDATE customer_counts SET points_outstanding = points_outstanding - (
  SELECT coalesce(sum(greatest(points_balance, 0)), 0) FROM customers
  WHERE customers.shop = customer_counts.shop AND blocked = 1 AND deleted_at IS NULL)
WHERE shop IN (SELECT shop FROM customers WHERE blocked = 1);--> statement-breakpoint
-- Once: an upload pruned before its preview's rows went with it (decision 062) leaves them no longer; from now on the
-- pruning deletes them itself, in batches.
DELETE FROM import_problems WHERE import_id IN (SELECT id FROM imports WHERE file_pruned_at IS NOT NULL);--> statement-breakpoint
DELETE FROM import_changes WHERE import_id IN (SELECT id FROM imports WHERE file_pruned_at IS NOT NULL);--> statement-breakpoint
DELETE FROM import_creates WHERE import_id IN (SELECT id FROM imports WHERE file_pruned_at IS NOT NULL);
