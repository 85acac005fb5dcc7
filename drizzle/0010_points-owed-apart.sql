ALTER TABLE `customer_counts` ADD `points_owed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_counts` ADD `customers_owing` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Points outstanding counts positive balances only; what customers owe is kept apart (decision 022). The counters'
-- triggers of migration 0009 are replaced by ones that keep the three figures, and every shop is recounted.
DROP TRIGGER `customers_counts_insert`;--> statement-breakpoint
DROP TRIGGER `customers_counts_update`;--> statement-breakpoint
DROP TRIGGER `customers_counts_delete`;--> statement-breakpoint
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
    `points_outstanding` = `points_outstanding` + max(new.`points_balance`, 0) - max(old.`points_balance`, 0),
    `points_owed` = `points_owed` + max(-new.`points_balance`, 0) - max(-old.`points_balance`, 0),
    `customers_owing` = `customers_owing` + (new.`points_balance` < 0) - (old.`points_balance` < 0)
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
    `points_outstanding` = `points_outstanding` - max(old.`points_balance`, 0),
    `points_owed` = `points_owed` - max(-old.`points_balance`, 0),
    `customers_owing` = `customers_owing` - (old.`points_balance` < 0)
  WHERE `shop` = old.`shop`;
END;--> statement-breakpoint
UPDATE `customer_counts` SET
  `points_outstanding` = (SELECT total(max(c.`points_balance`, 0)) FROM `customers` c WHERE c.`shop` = `customer_counts`.`shop`),
  `points_owed` = (SELECT total(max(-c.`points_balance`, 0)) FROM `customers` c WHERE c.`shop` = `customer_counts`.`shop`),
  `customers_owing` = (SELECT total(c.`points_balance` < 0) FROM `customers` c WHERE c.`shop` = `customer_counts`.`shop`);
