-- A shop's saved views are one tab per name whatever its case (SQLite's 0043): the unique index moves from the exact
-- name to name_key, the name as tabs compare it (viewNameKey in app/domain/customers/customer-query.ts), which the
-- service writes. Views saved before are keyed here by lower(trim(name)) in the database's collation (ASCII at
-- least, as SQLite's; a name with capitals it does not fold keeps them in its key until it is renamed, and the
-- service's own check still refuses its twins). Two views of a shop already one tab are both kept: the later one is
-- renamed with its place among them, "vips (2)", or with its id when that name is a tab too.
DROP INDEX "customer_views_shop_name_uq";--> statement-breakpoint
UPDATE "customer_views" SET "name" = CASE
    WHEN EXISTS (
      SELECT 1 FROM "customer_views" AS "other"
        WHERE "other"."shop" = "ranked"."shop"
          AND lower(trim("other"."name")) = lower(trim("ranked"."name")) || ' (' || "ranked"."nth" || ')'
    ) THEN trim("ranked"."name") || ' (' || "ranked"."id" || ')'
    ELSE trim("ranked"."name") || ' (' || "ranked"."nth" || ')'
  END
  FROM (
    SELECT "id", "shop", "name", row_number() OVER (PARTITION BY "shop", lower(trim("name")) ORDER BY "id") AS "nth"
      FROM "customer_views"
  ) AS "ranked"
  WHERE "ranked"."id" = "customer_views"."id" AND "ranked"."nth" > 1;--> statement-breakpoint
ALTER TABLE "customer_views" ADD COLUMN "name_key" text;--> statement-breakpoint
UPDATE "customer_views" SET "name_key" = lower(trim("name"));--> statement-breakpoint
ALTER TABLE "customer_views" ALTER COLUMN "name_key" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_views_shop_name_key_uq" ON "customer_views" USING btree ("shop","name_key");
