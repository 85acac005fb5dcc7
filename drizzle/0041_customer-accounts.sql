ALTER TABLE `shops` ADD `customer_accounts_version` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `login_links_visible` integer;