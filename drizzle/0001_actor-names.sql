ALTER TABLE `ledger_entries` ADD `actor_name` text;--> statement-breakpoint
ALTER TABLE `program_versions` ADD `actor_name` text;