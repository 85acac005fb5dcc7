-- Home's member growth in the shop's days (decision 050): member_growth counts members per quarter hour of UTC
-- ("2026-11-12T14:45"), which every time zone's day begins on, so Home sums a shop's own days from it.
CREATE FUNCTION tally_growth_slot(value text) RETURNS text LANGUAGE plpgsql IMMUTABLE SET TimeZone TO 'UTC' AS $$
BEGIN
  IF value IS NULL THEN RETURN NULL; END IF;
  RETURN to_char(date_bin('15 minutes', value::timestamptz, timestamptz '2000-01-01 00:00:00+00') AT TIME ZONE 'UTC',
    'YYYY-MM-DD"T"HH24:MI');
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tally_member_growth() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_day text;
  new_day text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'member' AND OLD.deleted_at IS NULL THEN
    old_day := tally_growth_slot(coalesce(OLD.member_since, OLD.joined_at, OLD.created_at));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'member' AND NEW.deleted_at IS NULL THEN
    new_day := tally_growth_slot(coalesce(NEW.member_since, NEW.joined_at, NEW.created_at));
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
DELETE FROM member_growth;--> statement-breakpoint
INSERT INTO member_growth (shop, day, members)
  SELECT shop, day, count(*) FROM (
    SELECT shop, tally_growth_slot(coalesce(member_since, joined_at, created_at)) AS day FROM customers
    WHERE status = 'member' AND deleted_at IS NULL) days
  WHERE day IS NOT NULL GROUP BY shop, day;
