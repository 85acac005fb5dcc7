-- Home's points outstanding leaves out blocked customers' points (decision 062): a blocked customer cannot redeem, so
-- their balance is no liability. The counts triggers of 0016 are replaced by ones that add a balance to
-- points_outstanding only while its customer is neither deleted nor blocked; blocking, unblocking and a blocked
-- customer's points moving keep it right. Debts (points_owed) still count, blocked or not: a debt is owed either way.
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
    `points_outstanding` = `points_outstanding` + (new.`blocked` = 0) * max(new.`points_balance`, 0),
    `points_owed` = `points_owed` + max(-new.`points_balance`, 0),
    `customers_owing` = `customers_owing` + (new.`points_balance` < 0)
  WHERE `shop` = new.`shop` AND new.`deleted_at` IS NULL;
END;--> statement-breakpoint
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
    `points_outstanding` = `points_outstanding` + (new.`deleted_at` IS NULL AND new.`blocked` = 0) * max(new.`points_balance`, 0)
      - (old.`deleted_at` IS NULL AND old.`blocked` = 0) * max(old.`points_balance`, 0),
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
    `points_outstanding` = `points_outstanding` - (old.`blocked` = 0) * max(old.`points_balance`, 0),
    `points_owed` = `points_owed` - max(-old.`points_balance`, 0),
    `customers_owing` = `customers_owing` - (old.`points_balance` < 0)
  WHERE `shop` = old.`shop`;
END;--> statement-breakpoint
-- Once: the blocked customers' points come off each shop's figure, read through their partial index (the few).
UPDATE `customer_counts` SET `points_outstanding` = `points_outstanding` - (
  SELECT coalesce(sum(max(`points_balance`, 0)), 0) FROM `customers`
  WHERE `customers`.`shop` = `customer_counts`.`shop` AND `blocked` = 1 AND `deleted_at` IS NULL)
WHERE `shop` IN (SELECT `shop` FROM `customers` WHERE `blocked` = 1);--> statement-breakpoint
-- Once: an upload pruned before its preview's rows went with it (decision 062) leaves them no longer; from now on the
-- pruning deletes them itself, in batches.
DELETE FROM `import_problems` WHERE `import_id` IN (SELECT `id` FROM `imports` WHERE `file_pruned_at` IS NOT NULL);--> statement-breakpoint
DELETE FROM `import_changes` WHERE `import_id` IN (SELECT `id` FROM `imports` WHERE `file_pruned_at` IS NOT NULL);--> statement-breakpoint
DELETE FROM `import_creates` WHERE `import_id` IN (SELECT `id` FROM `imports` WHERE `file_pruned_at` IS NOT NULL);
