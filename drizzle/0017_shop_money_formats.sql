ALTER TABLE `shops` ADD `money_format` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `money_with_currency_format` text;