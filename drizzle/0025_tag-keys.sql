-- Tags are matched whatever their case, as Shopify matches them: customer_tags is keyed by the tag's key (tagKey in
-- app/domain/customers/tags.ts: SQLite's own lower(), which folds ASCII letters, so any connection can write) and keeps
-- the spelling the customer carries; the tag facets count spellings and carry the key. The triggers that write
-- customer_tags are dropped first (the table is rebuilt under them) and come back writing the key.
DROP TRIGGER `customers_tags_insert`;--> statement-breakpoint
DROP TRIGGER `customers_tags_update`;--> statement-breakpoint
DROP TRIGGER `customers_tags_delete`;--> statement-breakpoint
DROP TRIGGER `customer_tags_insert`;--> statement-breakpoint
DROP TRIGGER `customer_tags_delete`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_customer_tags` (
	`shop` text NOT NULL,
	`tag_key` text NOT NULL,
	`tag` text NOT NULL,
	`customer_id` integer NOT NULL,
	PRIMARY KEY(`shop`, `tag_key`, `customer_id`)
);
--> statement-breakpoint
-- A customer holding two spellings of one tag (which Shopify does not allow) keeps one of them.
INSERT OR IGNORE INTO `__new_customer_tags`("shop", "tag_key", "tag", "customer_id") SELECT "shop", lower("tag"), "tag", "customer_id" FROM `customer_tags`;--> statement-breakpoint
DROP TABLE `customer_tags`;--> statement-breakpoint
ALTER TABLE `__new_customer_tags` RENAME TO `customer_tags`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `customer_facets` ADD `value_key` text;--> statement-breakpoint
CREATE INDEX `customer_facets_shop_key_idx` ON `customer_facets` (`shop`,`facet`,`value_key`);--> statement-breakpoint
DELETE FROM `customer_facets` WHERE `facet` = 'tag';--> statement-breakpoint
INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `value_key`, `customers`)
  SELECT `shop`, 'tag', `tag`, lower(`tag`), count(*) FROM `customer_tags` GROUP BY `shop`, `tag`;--> statement-breakpoint
CREATE TRIGGER `customers_tags_insert` AFTER INSERT ON `customers` WHEN json_array_length(new.`tags`) > 0 AND new.`deleted_at` IS NULL BEGIN
  INSERT INTO `customer_tags` (`shop`, `tag_key`, `tag`, `customer_id`) SELECT new.`shop`, lower(`value`), `value`, new.`id` FROM json_each(new.`tags`)
    WHERE `type` = 'text' ON CONFLICT DO NOTHING;
END;--> statement-breakpoint
-- A tag respelled ("vip" to "VIP") leaves as the old spelling and comes back as the new one, so the facets follow it.
CREATE TRIGGER `customers_tags_update` AFTER UPDATE OF `tags`, `deleted_at` ON `customers`
WHEN old.`tags` IS NOT new.`tags` OR (old.`deleted_at` IS NULL) IS NOT (new.`deleted_at` IS NULL) BEGIN
  DELETE FROM `customer_tags` WHERE `shop` = old.`shop` AND `customer_id` = old.`id`
    AND `tag_key` IN (SELECT lower(`value`) FROM json_each(old.`tags`) WHERE `type` = 'text')
    AND (new.`deleted_at` IS NOT NULL OR `tag` NOT IN (SELECT `value` FROM json_each(new.`tags`)));
  INSERT INTO `customer_tags` (`shop`, `tag_key`, `tag`, `customer_id`) SELECT new.`shop`, lower(`value`), `value`, new.`id` FROM json_each(new.`tags`)
    WHERE `type` = 'text' AND new.`deleted_at` IS NULL ON CONFLICT DO NOTHING;
END;--> statement-breakpoint
CREATE TRIGGER `customers_tags_delete` AFTER DELETE ON `customers` WHEN json_array_length(old.`tags`) > 0 BEGIN
  DELETE FROM `customer_tags` WHERE `shop` = old.`shop` AND `customer_id` = old.`id`
    AND `tag_key` IN (SELECT lower(`value`) FROM json_each(old.`tags`) WHERE `type` = 'text');
END;--> statement-breakpoint
CREATE TRIGGER `customer_tags_insert` AFTER INSERT ON `customer_tags` BEGIN
  INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `value_key`, `customers`) VALUES (new.`shop`, 'tag', new.`tag`, new.`tag_key`, 1)
    ON CONFLICT DO UPDATE SET `customers` = `customers` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customer_tags_delete` AFTER DELETE ON `customer_tags` BEGIN
  UPDATE `customer_facets` SET `customers` = `customers` - 1 WHERE `shop` = old.`shop` AND `facet` = 'tag' AND `value` = old.`tag`;
END;
