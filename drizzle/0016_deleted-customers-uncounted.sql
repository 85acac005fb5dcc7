CREATE INDEX `customers_shop_deleted_idx` ON `customers` (`shop`,`deleted_at`,`id`) WHERE "customers"."deleted_at" is not null;--> statement-breakpoint
-- A customer Shopify deleted (customers.deleted_at, kept for the ledger's history) leaves the directory's kept figures
-- as a row delete would, and comes back when a newer snapshot un-deletes it (decision 036). The triggers of 0009 and
-- 0010 are replaced by ones that count a row only while deleted_at is null; then every shop is recounted.
DROP TRIGGER `customers_counts_insert`;--> statement-breakpoint
DROP TRIGGER `customers_counts_update`;--> statement-breakpoint
DROP TRIGGER `customers_counts_delete`;--> statement-breakpoint
DROP TRIGGER `customers_tags_insert`;--> statement-breakpoint
DROP TRIGGER `customers_tags_update`;--> statement-breakpoint
DROP TRIGGER `customers_country_insert`;--> statement-breakpoint
DROP TRIGGER `customers_country_update`;--> statement-breakpoint
DROP TRIGGER `customers_country_delete`;--> statement-breakpoint
DROP TRIGGER `customers_growth_insert`;--> statement-breakpoint
DROP TRIGGER `customers_growth_update`;--> statement-breakpoint
DROP TRIGGER `customers_growth_delete`;--> statement-breakpoint
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
    `points_outstanding` = `points_outstanding` + max(new.`points_balance`, 0),
    `points_owed` = `points_owed` + max(-new.`points_balance`, 0),
    `customers_owing` = `customers_owing` + (new.`points_balance` < 0)
  WHERE `shop` = new.`shop` AND new.`deleted_at` IS NULL;
END;--> statement-breakpoint
-- Each side counts only while its row is not deleted: deleting takes the old side away, un-deleting adds the new one.
CREATE TRIGGER `customers_counts_update` AFTER UPDATE OF `status`, `blocked`, `amount_spent_minor`, `orders_count`, `email_marketing_state`, `last_checkout_at`, `points_balance`, `deleted_at` ON `customers`
WHEN (old.`deleted_at` IS NULL OR new.`deleted_at` IS NULL) AND (
  old.`status` IS NOT new.`status` OR old.`blocked` IS NOT new.`blocked` OR old.`amount_spent_minor` IS NOT new.`amount_spent_minor`
  OR old.`orders_count` IS NOT new.`orders_count` OR old.`email_marketing_state` IS NOT new.`email_marketing_state`
  OR old.`last_checkout_at` IS NOT new.`last_checkout_at` OR old.`points_balance` IS NOT new.`points_balance`
  OR (old.`deleted_at` IS NULL) IS NOT (new.`deleted_at` IS NULL))
BEGIN
  INSERT INTO `customer_counts` (`shop`) SELECT new.`shop` WHERE new.`deleted_at` IS NULL ON CONFLICT DO NOTHING;
  UPDATE `customer_counts` SET
    `customers` = `customers` + (new.`deleted_at` IS NULL) - (old.`deleted_at` IS NULL),
    `members` = `members` + (new.`deleted_at` IS NULL AND new.`status` = 'member') - (old.`deleted_at` IS NULL AND old.`status` = 'member'),
    `guests` = `guests` + (new.`deleted_at` IS NULL AND new.`status` = 'guest') - (old.`deleted_at` IS NULL AND old.`status` = 'guest'),
    `paying` = `paying` + (new.`deleted_at` IS NULL AND new.`amount_spent_minor` > 0) - (old.`deleted_at` IS NULL AND old.`amount_spent_minor` > 0),
    `non_converting` = `non_converting` + (new.`deleted_at` IS NULL AND new.`last_checkout_at` IS NOT NULL AND new.`orders_count` = 0)
      - (old.`deleted_at` IS NULL AND old.`last_checkout_at` IS NOT NULL AND old.`orders_count` = 0),
    `opted_in` = `opted_in` + (new.`deleted_at` IS NULL AND new.`email_marketing_state` IS 'SUBSCRIBED') - (old.`deleted_at` IS NULL AND old.`email_marketing_state` IS 'SUBSCRIBED'),
    `blocked` = `blocked` + (new.`deleted_at` IS NULL AND new.`blocked` = 1) - (old.`deleted_at` IS NULL AND old.`blocked` = 1),
    `points_outstanding` = `points_outstanding` + (new.`deleted_at` IS NULL) * max(new.`points_balance`, 0) - (old.`deleted_at` IS NULL) * max(old.`points_balance`, 0),
    `points_owed` = `points_owed` + (new.`deleted_at` IS NULL) * max(-new.`points_balance`, 0) - (old.`deleted_at` IS NULL) * max(-old.`points_balance`, 0),
    `customers_owing` = `customers_owing` + (new.`deleted_at` IS NULL AND new.`points_balance` < 0) - (old.`deleted_at` IS NULL AND old.`points_balance` < 0)
  WHERE `shop` = new.`shop`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_counts_delete` AFTER DELETE ON `customers` WHEN old.`deleted_at` IS NULL BEGIN
  UPDATE `customer_counts` SET
    `customers` = `customers` - 1,
    `members` = `members` - (old.`status` = 'member'),
    `guests` = `guests` - (old.`status` = 'guest'),
    `paying` = `paying` - (old.`amount_spent_minor` > 0),
    `non_converting` = `non_converting` - (old.`last_checkout_at` IS NOT NULL AND old.`orders_count` = 0),
    `opted_in` = `opted_in` - (old.`email_marketing_state` IS 'SUBSCRIBED'),
    `blocked` = `blocked` - (old.`blocked` = 1),
    `points_outstanding` = `points_outstanding` - max(old.`points_balance`, 0),
    `points_owed` = `points_owed` - max(-old.`points_balance`, 0),
    `customers_owing` = `customers_owing` - (old.`points_balance` < 0)
  WHERE `shop` = old.`shop`;
END;--> statement-breakpoint
-- customer_tags holds the tags of customers not deleted only; its own triggers keep the tag facets from it.
CREATE TRIGGER `customers_tags_insert` AFTER INSERT ON `customers` WHEN json_array_length(new.`tags`) > 0 AND new.`deleted_at` IS NULL BEGIN
  INSERT INTO `customer_tags` (`shop`, `tag`, `customer_id`) SELECT DISTINCT new.`shop`, `value`, new.`id` FROM json_each(new.`tags`) WHERE `type` = 'text' ON CONFLICT DO NOTHING;
END;--> statement-breakpoint
CREATE TRIGGER `customers_tags_update` AFTER UPDATE OF `tags`, `deleted_at` ON `customers`
WHEN old.`tags` IS NOT new.`tags` OR (old.`deleted_at` IS NULL) IS NOT (new.`deleted_at` IS NULL) BEGIN
  DELETE FROM `customer_tags` WHERE `shop` = old.`shop` AND `customer_id` = old.`id`
    AND `tag` IN (SELECT `value` FROM json_each(old.`tags`))
    AND (new.`deleted_at` IS NOT NULL OR `tag` NOT IN (SELECT `value` FROM json_each(new.`tags`)));
  INSERT INTO `customer_tags` (`shop`, `tag`, `customer_id`) SELECT DISTINCT new.`shop`, `value`, new.`id` FROM json_each(new.`tags`)
    WHERE `type` = 'text' AND new.`deleted_at` IS NULL ON CONFLICT DO NOTHING;
END;--> statement-breakpoint
CREATE TRIGGER `customers_country_insert` AFTER INSERT ON `customers` WHEN new.`country_code` IS NOT NULL AND new.`deleted_at` IS NULL BEGIN
  INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `customers`) VALUES (new.`shop`, 'country', new.`country_code`, 1)
    ON CONFLICT DO UPDATE SET `customers` = `customers` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_country_update` AFTER UPDATE OF `country_code`, `deleted_at` ON `customers`
WHEN (CASE WHEN old.`deleted_at` IS NULL THEN old.`country_code` END) IS NOT (CASE WHEN new.`deleted_at` IS NULL THEN new.`country_code` END) BEGIN
  UPDATE `customer_facets` SET `customers` = `customers` - 1
    WHERE `shop` = old.`shop` AND `facet` = 'country' AND `value` = (CASE WHEN old.`deleted_at` IS NULL THEN old.`country_code` END);
  INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `customers`) SELECT new.`shop`, 'country', new.`country_code`, 1
    WHERE new.`country_code` IS NOT NULL AND new.`deleted_at` IS NULL ON CONFLICT DO UPDATE SET `customers` = `customers` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_country_delete` AFTER DELETE ON `customers` WHEN old.`country_code` IS NOT NULL AND old.`deleted_at` IS NULL BEGIN
  UPDATE `customer_facets` SET `customers` = `customers` - 1 WHERE `shop` = old.`shop` AND `facet` = 'country' AND `value` = old.`country_code`;
END;--> statement-breakpoint
CREATE TRIGGER `customers_growth_insert` AFTER INSERT ON `customers`
WHEN new.`status` = 'member' AND new.`deleted_at` IS NULL AND date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) IS NOT NULL BEGIN
  INSERT INTO `member_growth` (`shop`, `day`, `members`) VALUES (new.`shop`, date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)), 1)
    ON CONFLICT DO UPDATE SET `members` = `members` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_growth_update` AFTER UPDATE OF `status`, `member_since`, `joined_at`, `deleted_at` ON `customers`
WHEN (CASE WHEN old.`status` = 'member' AND old.`deleted_at` IS NULL THEN date(coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) END)
  IS NOT (CASE WHEN new.`status` = 'member' AND new.`deleted_at` IS NULL THEN date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) END)
BEGIN
  UPDATE `member_growth` SET `members` = `members` - 1
    WHERE `shop` = old.`shop` AND `day` = (CASE WHEN old.`status` = 'member' AND old.`deleted_at` IS NULL THEN date(coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) END);
  INSERT INTO `member_growth` (`shop`, `day`, `members`)
    SELECT new.`shop`, date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)), 1
    WHERE new.`status` = 'member' AND new.`deleted_at` IS NULL AND date(coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) IS NOT NULL
    ON CONFLICT DO UPDATE SET `members` = `members` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_growth_delete` AFTER DELETE ON `customers` WHEN old.`status` = 'member' AND old.`deleted_at` IS NULL BEGIN
  UPDATE `member_growth` SET `members` = `members` - 1
    WHERE `shop` = old.`shop` AND `day` = date(coalesce(old.`member_since`, old.`joined_at`, old.`created_at`));
END;--> statement-breakpoint
-- Once, for customers deleted before these triggers: every shop's figures from its customers not deleted.
UPDATE `customer_counts` SET `customers` = 0, `members` = 0, `guests` = 0, `paying` = 0, `non_converting` = 0, `opted_in` = 0,
  `blocked` = 0, `points_outstanding` = 0, `points_owed` = 0, `customers_owing` = 0;--> statement-breakpoint
INSERT INTO `customer_counts` (`shop`, `customers`, `members`, `guests`, `paying`, `non_converting`, `opted_in`, `blocked`,
    `points_outstanding`, `points_owed`, `customers_owing`)
  SELECT `shop`, count(*), total(`status` = 'member'), total(`status` = 'guest'), total(`amount_spent_minor` > 0),
    total(`last_checkout_at` IS NOT NULL AND `orders_count` = 0), total(`email_marketing_state` IS 'SUBSCRIBED'),
    total(`blocked` = 1), total(max(`points_balance`, 0)), total(max(-`points_balance`, 0)), total(`points_balance` < 0)
  FROM `customers` WHERE `deleted_at` IS NULL GROUP BY `shop`
  ON CONFLICT (`shop`) DO UPDATE SET `customers` = excluded.`customers`, `members` = excluded.`members`,
    `guests` = excluded.`guests`, `paying` = excluded.`paying`, `non_converting` = excluded.`non_converting`,
    `opted_in` = excluded.`opted_in`, `blocked` = excluded.`blocked`, `points_outstanding` = excluded.`points_outstanding`,
    `points_owed` = excluded.`points_owed`, `customers_owing` = excluded.`customers_owing`;--> statement-breakpoint
DELETE FROM `customer_tags` WHERE `customer_id` IN (SELECT `id` FROM `customers` WHERE `deleted_at` IS NOT NULL);--> statement-breakpoint
DELETE FROM `customer_facets` WHERE `facet` = 'country';--> statement-breakpoint
INSERT INTO `customer_facets` (`shop`, `facet`, `value`, `customers`)
  SELECT `shop`, 'country', `country_code`, count(*) FROM `customers` WHERE `country_code` IS NOT NULL AND `deleted_at` IS NULL
  GROUP BY `shop`, `country_code`;--> statement-breakpoint
DELETE FROM `member_growth`;--> statement-breakpoint
INSERT INTO `member_growth` (`shop`, `day`, `members`)
  SELECT `shop`, `day`, count(*) FROM (SELECT `shop`, date(coalesce(`member_since`, `joined_at`, `created_at`)) AS `day` FROM `customers`
    WHERE `status` = 'member' AND `deleted_at` IS NULL) WHERE `day` IS NOT NULL GROUP BY `shop`, `day`;
