-- Home's member growth in the shop's days (decision 050): member_growth counts members per quarter hour of UTC
-- ("2026-11-12T14:45"), which every time zone's day begins on, so Home sums a shop's own days from it.
DROP TRIGGER `customers_growth_insert`;--> statement-breakpoint
DROP TRIGGER `customers_growth_update`;--> statement-breakpoint
DROP TRIGGER `customers_growth_delete`;--> statement-breakpoint
CREATE TRIGGER `customers_growth_insert` AFTER INSERT ON `customers`
WHEN new.`status` = 'member' AND new.`deleted_at` IS NULL AND strftime('%Y-%m-%dT%H:', coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) IS NOT NULL BEGIN
  INSERT INTO `member_growth` (`shop`, `day`, `members`) VALUES (new.`shop`, strftime('%Y-%m-%dT%H:', coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) || printf('%02d', strftime('%M', coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) / 15 * 15), 1)
    ON CONFLICT DO UPDATE SET `members` = `members` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_growth_update` AFTER UPDATE OF `status`, `member_since`, `joined_at`, `deleted_at` ON `customers`
WHEN (CASE WHEN old.`status` = 'member' AND old.`deleted_at` IS NULL THEN strftime('%Y-%m-%dT%H:', coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) || printf('%02d', strftime('%M', coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) / 15 * 15) END)
  IS NOT (CASE WHEN new.`status` = 'member' AND new.`deleted_at` IS NULL THEN strftime('%Y-%m-%dT%H:', coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) || printf('%02d', strftime('%M', coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) / 15 * 15) END)
BEGIN
  UPDATE `member_growth` SET `members` = `members` - 1
    WHERE `shop` = old.`shop` AND `day` = (CASE WHEN old.`status` = 'member' AND old.`deleted_at` IS NULL THEN strftime('%Y-%m-%dT%H:', coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) || printf('%02d', strftime('%M', coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) / 15 * 15) END);
  INSERT INTO `member_growth` (`shop`, `day`, `members`)
    SELECT new.`shop`, strftime('%Y-%m-%dT%H:', coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) || printf('%02d', strftime('%M', coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) / 15 * 15), 1
    WHERE new.`status` = 'member' AND new.`deleted_at` IS NULL AND strftime('%Y-%m-%dT%H:', coalesce(new.`member_since`, new.`joined_at`, new.`created_at`)) IS NOT NULL
    ON CONFLICT DO UPDATE SET `members` = `members` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `customers_growth_delete` AFTER DELETE ON `customers` WHEN old.`status` = 'member' AND old.`deleted_at` IS NULL BEGIN
  UPDATE `member_growth` SET `members` = `members` - 1
    WHERE `shop` = old.`shop` AND `day` = strftime('%Y-%m-%dT%H:', coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) || printf('%02d', strftime('%M', coalesce(old.`member_since`, old.`joined_at`, old.`created_at`)) / 15 * 15);
END;--> statement-breakpoint
DELETE FROM `member_growth`;--> statement-breakpoint
INSERT INTO `member_growth` (`shop`, `day`, `members`)
  SELECT `shop`, `day`, count(*) FROM (SELECT `shop`, strftime('%Y-%m-%dT%H:', `at`) || printf('%02d', strftime('%M', `at`) / 15 * 15) AS `day`
    FROM (SELECT `shop`, coalesce(`member_since`, `joined_at`, `created_at`) AS `at` FROM `customers` WHERE `status` = 'member' AND `deleted_at` IS NULL))
  WHERE `day` IS NOT NULL GROUP BY `shop`, `day`;
