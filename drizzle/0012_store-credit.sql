CREATE TABLE `store_credit_transactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`customer_id` integer NOT NULL,
	`transaction_gid` text NOT NULL,
	`account_gid` text NOT NULL,
	`kind` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`balance_after_minor` integer NOT NULL,
	`expires_at` text,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text,
	`request_id` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `store_credit_transactions_customer_idx` ON `store_credit_transactions` (`shop`,`customer_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `store_credit_transactions_request_uq` ON `store_credit_transactions` (`shop`,`request_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `store_credit_transactions_gid_uq` ON `store_credit_transactions` (`shop`,`transaction_gid`);--> statement-breakpoint
ALTER TABLE `customers` ADD `store_credit_minor` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `store_credit_currency` text;--> statement-breakpoint
CREATE INDEX `customers_shop_store_credit_idx` ON `customers` (`shop`,`store_credit_minor`,`id`);