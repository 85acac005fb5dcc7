-- A shop's saved views are one tab per name whatever its case ("VIPs" and "vips" are one tab, isViewNameTaken in
-- app/domain/customers/customer-query.ts): the unique index moves from the exact name to name_key, the name as tabs
-- compare it (viewNameKey), which the service writes (JavaScript's Unicode lower case; SQLite's lower() folds ASCII
-- only). Views saved before are keyed here by lower(trim(name)), the same key for an ASCII name; a name with
-- non-ASCII capitals keeps them in its key until it is renamed, and the service's own check still refuses its twins.
-- Two views of a shop already one tab (saved beside each other before the per-shop lock) are both kept: the later
-- one is renamed with its place among them, "vips (2)", or with its id when that name is a tab too.
DROP INDEX `customer_views_shop_name_uq`;--> statement-breakpoint
UPDATE `customer_views` SET `name` = CASE
    WHEN EXISTS (
      SELECT 1 FROM `customer_views` AS `other`
        WHERE `other`.`shop` = `ranked`.`shop`
          AND lower(trim(`other`.`name`)) = lower(trim(`ranked`.`name`)) || ' (' || `ranked`.`nth` || ')'
    ) THEN trim(`ranked`.`name`) || ' (' || `ranked`.`id` || ')'
    ELSE trim(`ranked`.`name`) || ' (' || `ranked`.`nth` || ')'
  END
  FROM (
    SELECT `id`, `shop`, `name`, row_number() OVER (PARTITION BY `shop`, lower(trim(`name`)) ORDER BY `id`) AS `nth`
      FROM `customer_views`
  ) AS `ranked`
  WHERE `ranked`.`id` = `customer_views`.`id` AND `ranked`.`nth` > 1;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_customer_views` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`query` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_customer_views`("id", "shop", "name", "name_key", "query", "created_at", "updated_at")
  SELECT "id", "shop", "name", lower(trim("name")), "query", "created_at", "updated_at" FROM `customer_views`;--> statement-breakpoint
DROP TABLE `customer_views`;--> statement-breakpoint
ALTER TABLE `__new_customer_views` RENAME TO `customer_views`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `customer_views_shop_name_key_uq` ON `customer_views` (`shop`,`name_key`);
