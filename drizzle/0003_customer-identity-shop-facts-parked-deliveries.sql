ALTER TABLE `customers` ADD `facts` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `signup_decision` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `merged_into_id` integer REFERENCES customers(id);--> statement-breakpoint
ALTER TABLE `customers` ADD `merged_at` text;--> statement-breakpoint
CREATE INDEX `customers_merged_into_idx` ON `customers` (`shop`,`merged_into_id`) WHERE "customers"."merged_into_id" is not null;--> statement-breakpoint
ALTER TABLE `program_versions` ADD `currency` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `previous_currency` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `currency_changed_at` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `timezone` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `name` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `shop_updated_at` text;--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `parked_at` text;--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `retry_at` text;--> statement-breakpoint
CREATE INDEX `webhook_deliveries_parked_idx` ON `webhook_deliveries` (`shop`,`id`) WHERE "webhook_deliveries"."status" = 'parked';--> statement-breakpoint
UPDATE `webhook_deliveries` SET `status` = 'parked', `parked_at` = `received_at` WHERE `status` = 'failed' AND `attempts` >= 5 AND `topic` NOT IN ('customers/redact', 'shop/redact', 'customers/data_request');