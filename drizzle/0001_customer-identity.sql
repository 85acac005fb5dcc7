ALTER TABLE `customers` ADD `facts` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `signup_decision` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `merged_into_id` integer REFERENCES customers(id);--> statement-breakpoint
ALTER TABLE `customers` ADD `merged_at` text;--> statement-breakpoint
CREATE INDEX `customers_merged_into_idx` ON `customers` (`shop`,`merged_into_id`) WHERE "customers"."merged_into_id" is not null;