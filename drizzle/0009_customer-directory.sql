CREATE TABLE `customer_counts` (
	`shop` text PRIMARY KEY NOT NULL,
	`customers` integer DEFAULT 0 NOT NULL,
	`members` integer DEFAULT 0 NOT NULL,
	`guests` integer DEFAULT 0 NOT NULL,
	`paying` integer DEFAULT 0 NOT NULL,
	`non_converting` integer DEFAULT 0 NOT NULL,
	`opted_in` integer DEFAULT 0 NOT NULL,
	`blocked` integer DEFAULT 0 NOT NULL,
	`points_outstanding` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customer_facets` (
	`shop` text NOT NULL,
	`facet` text NOT NULL,
	`value` text NOT NULL,
	`customers` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`shop`, `facet`, `value`)
);
--> statement-breakpoint
CREATE TABLE `customer_tags` (
	`shop` text NOT NULL,
	`tag` text NOT NULL,
	`customer_id` integer NOT NULL,
	PRIMARY KEY(`shop`, `tag`, `customer_id`)
);
--> statement-breakpoint
CREATE TABLE `customer_views` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_views_shop_name_uq` ON `customer_views` (`shop`,`name`);--> statement-breakpoint
CREATE TABLE `member_growth` (
	`shop` text NOT NULL,
	`day` text NOT NULL,
	`members` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`shop`, `day`)
);
--> statement-breakpoint
CREATE TABLE `staff_preferences` (
	`shop` text NOT NULL,
	`staff_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`shop`, `staff_id`, `key`)
);
--> statement-breakpoint
DROP INDEX `customers_shop_points_idx`;--> statement-breakpoint
DROP INDEX `customers_shop_name_idx`;--> statement-breakpoint
DROP INDEX `customers_shop_blocked_idx`;--> statement-breakpoint
ALTER TABLE `customers` ADD `referral_joined_at` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `search_text` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `name_sort` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `tax_exempt` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `last_order_at` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `last_order_sort` text GENERATED ALWAYS AS (coalesce(last_order_at, '')) VIRTUAL;--> statement-breakpoint
ALTER TABLE `customers` ADD `last_checkout_at` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `points_activity_at` text;--> statement-breakpoint
CREATE INDEX `customers_shop_last_order_idx` ON `customers` (`shop`,`last_order_sort`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_country_idx` ON `customers` (`shop`,`country_code`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_consent_idx` ON `customers` (`shop`,`email_marketing_state`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_tax_exempt_idx` ON `customers` (`shop`,`tax_exempt`,`id`) WHERE "customers"."tax_exempt" = 1;--> statement-breakpoint
CREATE INDEX `customers_shop_non_converting_idx` ON `customers` (`shop`,`orders_count`,`last_checkout_at`,`id`) WHERE "customers"."last_checkout_at" is not null and "customers"."orders_count" = 0;--> statement-breakpoint
CREATE INDEX `customers_shop_referral_joined_idx` ON `customers` (`shop`,`referral_joined_at`,`id`) WHERE "customers"."referral_joined_at" is not null;--> statement-breakpoint
CREATE INDEX `customers_search_pending_idx` ON `customers` (`id`) WHERE "customers"."search_text" is null;--> statement-breakpoint
CREATE INDEX `customers_shop_points_idx` ON `customers` (`shop`,`points_balance`,`id`,`points_activity_at`);--> statement-breakpoint
CREATE INDEX `customers_shop_name_idx` ON `customers` (`shop`,`name_sort`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_blocked_idx` ON `customers` (`shop`,`blocked`,`id`) WHERE "customers"."blocked" = 1;--> statement-breakpoint
ALTER TABLE `customers` DROP COLUMN `search_name`;--> statement-breakpoint
-- What the new columns say about rows written before them: the last order, the last checkout, the last ledger entry,
-- and when each advocate got their first referral code (codes brought by a merge count for the customer kept).
UPDATE `customers` SET `last_order_at` = (SELECT max(o.`processed_at`) FROM `orders` o WHERE o.`shop` = `customers`.`shop` AND o.`customer_id` = `customers`.`id`);--> statement-breakpoint
UPDATE `customers` SET `last_checkout_at` = (SELECT max(k.`shopify_updated_at`) FROM `checkouts` k WHERE k.`shop` = `customers`.`shop` AND k.`customer_id` = `customers`.`id`);--> statement-breakpoint
UPDATE `customers` SET `points_activity_at` = (SELECT l.`created_at` FROM `ledger_entries` l WHERE l.`shop` = `customers`.`shop` AND l.`customer_id` = `customers`.`id` ORDER BY l.`id` DESC LIMIT 1);--> statement-breakpoint
UPDATE `customers` SET `referral_joined_at` = (SELECT min(a.`joined_at`) FROM `referral_advocates` a WHERE a.`shop` = `customers`.`shop` AND a.`customer_id` = `customers`.`id`) WHERE `id` IN (SELECT `customer_id` FROM `referral_advocates`);--> statement-breakpoint
-- The directory's search index (decision 019): trigrams of the folded search text, which the services write. The
-- table reads its text from customers (external content); secure-delete leaves nothing of an erased customer behind.
CREATE VIRTUAL TABLE `customer_search` USING fts5(`search_text`, content='customers', content_rowid='id', tokenize='trigram case_sensitive 1', detail=full);--> statement-breakpoint
INSERT INTO `customer_search`(`customer_search`, `rank`) VALUES ('secure-delete', 1);--> statement-breakpoint
CREATE VIRTUAL TABLE `customer_search_vocab` USING fts5vocab(`customer_search`, 'row');--> statement-breakpoint
CREATE TRIGGER `customers_search_insert` AFTER INSERT ON `customers` WHEN new.`search_text` IS NOT NULL AND new.`search_text` != '' BEGIN
  INSERT INTO `customer_search`(`rowid`, `search_text`) VALUES (new.`id`, new.`search_text`);
END;--> statement-breakpoint
CREATE TRIGGER `customers_search_delete` AFTER DELETE ON `customers` WHEN old.`search_text` IS NOT NULL AND old.`search_text` != '' BEGIN
  INSERT INTO `customer_search`(`customer_search`, `rowid`, `search_text`) VALUES ('delete', old.`id`, old.`search_text`);
END;--> statement-breakpoint
CREATE TRIGGER `customers_search_update` AFTER UPDATE OF `search_text` ON `customers` WHEN old.`search_text` IS NOT new.`search_text` BEGIN
  INSERT INTO `customer_search`(`customer_search`, `rowid`, `search_text`) SELECT 'delete', old.`id`, old.`search_text` WHERE old.`search_text` IS NOT NULL AND old.`search_text` != '';
  INSERT INTO `customer_search`(`rowid`, `search_text`) SELECT new.`id`, new.`search_text` WHERE new.`search_text` IS NOT NULL AND new.`search_text` != '';
END;--> statement-breakpoint
-- Counters, kept by the triggers below in the transaction of every change (decision 019); first from the rows as they are.
INSERT INTO `customer_counts` (`shop`, `customers`, `members`, `guests`, `paying`, `non_converting`, `opted_in`, `blocked`, `points_outstanding`)
  SELECT `shop`, count(*), total(`status` = 'member'), total(`status` = 'guest'), total(`amount_spent_minor` > 0),
    total(`last_checkout_at` IS NOT NULL AND `orders_count` = 0), total(`email_marketing_state` IS 'SUBSCRIBED'),
    total(`blocked` = 1), total(`points_balance`)
  FROM `customers` GROUP BY `shop`;--> statement-breakpoint
INSERT INTO `customer_tags` (`shop`, `tag`, `customer_id`) SELECT DISTINCT c.`shop`, j.`value`, c.`id` FROM `customers` c, json_each(c.`tags`) j WHERE j.`type` = 'text';--> statement-breakpoint
INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `customers`) SELECT `shop`, 'tag', `tag`, count(*) FROM `customer_tags` GROUP BY `shop`, `tag`;--> statement-breakpoint
INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `customers`) SELECT `shop`, 'country', `country_code`, count(*) FROM `customers` WHERE `country_code` IS NOT NULL GROUP BY `shop`, `country_code`;--> statement-breakpoint
INSERT INTO `member_growth` (`shop`, `day`, `members`)
  SELECT `shop`, `day`, count(*) FROM (SELECT `shop`, date(coalesce(`member_since`, `joined_at`, `created_at`)) AS `day` FROM `customers` WHERE `status` = 'member') WHERE `day` IS NOT NULL GROUP BY `shop`, `day`;--> statement-breakpoint
CREATE TRIGGER `customers_counts_insert` AFTER INSERT ON `customers` BEGIN
  INSERT INTO `customer_counts` (`shop`) VALUES (new.`shop`) ON CONFLICT DO NOTHING;
  UPDATE `customer_counts` SET
    `customers` = `customers` + 1,
    `members` = `members` + (new.`status` = 'member'),
    `guests` = `guests` + (new.`status` = 'guest'),
    `paying` = `paying` + (new.`amount_spent_minor` > 0),
    `non_converting` = `non_converting` + (new.`last_checkout_at` IS NOT NULL AND new.`orders_count` = 0),
    `opted_in` = `opted_in` + (new.`email_marketing_state` IS 'SUBSCRIBED'),
    `blocked` = `blocked` + (new.`blocked` = 1),
    `points_outstanding` = `points_outstanding` + new.`points_balance`
  WHERE `shop` = new.`shop`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_counts_update` AFTER UPDATE OF `status`, `blocked`, `amount_spent_minor`, `orders_count`, `email_marketing_state`, `last_checkout_at`, `points_balance` ON `customers`
WHEN old.`status` IS NOT new.`status` OR old.`blocked` IS NOT new.`blocked` OR old.`amount_spent_minor` IS NOT new.`amount_spent_minor`
  OR old.`orders_count` IS NOT new.`orders_count` OR old.`email_marketing_state` IS NOT new.`email_marketing_state`
  OR old.`last_checkout_at` IS NOT new.`last_checkout_at` OR old.`points_balance` IS NOT new.`points_balance`
BEGIN
  UPDATE `customer_counts` SET
    `members` = `members` + (new.`status` = 'member') - (old.`status` = 'member'),
    `guests` = `guests` + (new.`status` = 'guest') - (old.`status` = 'guest'),
    `paying` = `paying` + (new.`amount_spent_minor` > 0) - (old.`amount_spent_minor` > 0),
    `non_converting` = `non_converting` + (new.`last_checkout_at` IS NOT NULL AND new.`orders_count` = 0) - (old.`last_checkout_at` IS NOT NULL AND old.`orders_count` = 0),
    `opted_in` = `opted_in` + (new.`email_marketing_state` IS 'SUBSCRIBED') - (old.`email_marketing_state` IS 'SUBSCRIBED'),
    `blocked` = `blocked` + (new.`blocked` = 1) - (old.`blocked` = 1),
    `points_outstanding` = `points_outstanding` + new.`points_balance` - old.`points_balance`
  WHERE `shop` = new.`shop`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_counts_delete` AFTER DELETE ON `customers` BEGIN
  UPDATE `customer_counts` SET
    `customers` = `customers` - 1,
    `members` = `members` - (old.`status` = 'member'),
    `guests` = `guests` - (old.`status` = 'guest'),
    `paying` = `paying` - (old.`amount_spent_minor` > 0),
    `non_converting` = `non_converting` - (old.`last_checkout_at` IS NOT NULL AND old.`orders_count` = 0),
    `opted_in` = `opted_in` - (old.`email_marketing_state` IS 'SUBSCRIBED'),
    `blocked` = `blocked` - (old.`blocked` = 1),
    `points_outstanding` = `points_outstanding` - old.`points_balance`
  WHERE `shop` = old.`shop`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_tags_insert` AFTER INSERT ON `customers` WHEN json_array_length(new.`tags`) > 0 BEGIN
  INSERT INTO `customer_tags` (`shop`, `tag`, `customer_id`) SELECT DISTINCT new.`shop`, `value`, new.`id` FROM json_each(new.`tags`) WHERE `type` = 'text' ON CONFLICT DO NOTHING;
END;--> statement-breakpoint
CREATE TRIGGER `customers_tags_update` AFTER UPDATE OF `tags` ON `customers` WHEN old.`tags` IS NOT new.`tags` BEGIN
  DELETE FROM `customer_tags` WHERE `shop` = old.`shop` AND `customer_id` = old.`id`
    AND `tag` IN (SELECT `value` FROM json_each(old.`tags`)) AND `tag` NOT IN (SELECT `value` FROM json_each(new.`tags`));
  INSERT INTO `customer_tags` (`shop`, `tag`, `customer_id`) SELECT DISTINCT new.`shop`, `value`, new.`id` FROM json_each(new.`tags`) WHERE `type` = 'text' ON CONFLICT DO NOTHING;
END;--> statement-breakpoint
CREATE TRIGGER `customers_tags_delete` AFTER DELETE ON `customers` WHEN json_array_length(old.`tags`) > 0 BEGIN
  DELETE FROM `customer_tags` WHERE `shop` = old.`shop` AND `customer_id` = old.`id` AND `tag` IN (SELECT `value` FROM json_each(old.`tags`));
END;--> statement-breakpoint
CREATE TRIGGER `customer_tags_insert` AFTER INSERT ON `customer_tags` BEGIN
  INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `customers`) VALUES (new.`shop`, 'tag', new.`tag`, 1)
    ON CONFLICT DO UPDATE SET `customers` = `customers` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customer_tags_delete` AFTER DELETE ON `customer_tags` BEGIN
  UPDATE `customer_facets` SET `customers` = `customers` - 1 WHERE `shop` = old.`shop` AND `facet` = 'tag' AND `value` = old.`tag`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_country_insert` AFTER INSERT ON `customers` WHEN new.`country_code` IS NOT NULL BEGIN
  INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `customers`) VALUES (new.`shop`, 'country', new.`country_code`, 1)
    ON CONFLICT DO UPDATE SET `customers` = `customers` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_country_update` AFTER UPDATE OF `country_code` ON `customers` WHEN old.`country_code` IS NOT new.`country_code` BEGIN
  UPDATE `customer_facets` SET `customers` = `customers` - 1 WHERE `shop` = old.`shop` AND `facet` = 'country' AND `value` = old.`country_code`;
  INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `customers`) SELECT new.`shop`, 'country', new.`country_code`, 1
    WHERE new.`country_code` IS NOT NULL ON CONFLICT DO UPDATE SET `customers` = `customers` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_country_delete` AFTER DELETE ON `customers` WHEN old.`country_code` IS NOT NULL BEGIN
  UPDATE `customer_facets` SET `customers` = `customers` - 1 WHERE `shop` = old.`shop` AND `facet` = 'country' AND `value` = old.`country_code`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_growth_insert` AFTER INSERT ON `customers`
WHEN new.`status` = 'member' AND date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) IS NOT NULL BEGIN
  INSERT INTO `member_growth` (`shop`, `day`, `members`) VALUES (new.`shop`, date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)), 1)
    ON CONFLICT DO UPDATE SET `members` = `members` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_growth_update` AFTER UPDATE OF `status`, `member_since`, `joined_at` ON `customers`
WHEN (CASE WHEN old.`status` = 'member' THEN date(coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) END)
  IS NOT (CASE WHEN new.`status` = 'member' THEN date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) END)
BEGIN
  UPDATE `member_growth` SET `members` = `members` - 1
    WHERE `shop` = old.`shop` AND `day` = (CASE WHEN old.`status` = 'member' THEN date(coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) END);
  INSERT INTO `member_growth` (`shop`, `day`, `members`)
    SELECT new.`shop`, date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)), 1
    WHERE new.`status` = 'member' AND date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) IS NOT NULL
    ON CONFLICT DO UPDATE SET `members` = `members` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_growth_delete` AFTER DELETE ON `customers` WHEN old.`status` = 'member' BEGIN
  UPDATE `member_growth` SET `members` = `members` - 1
    WHERE `shop` = old.`shop` AND `day` = date(coalesce(old.`member_since`, old.`joined_at`, old.`created_at`));
END;
