ALTER TABLE `customers` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `storefront_roots` text;