-- A task a rule refused is told apart from one that broke (tasks.refused); who spent points since a bulk adjustment
-- is read from the shop's redemptions and expiries since it (decision 026), not from its customers.
ALTER TABLE `tasks` ADD `refused` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_entries_spending_idx` ON `ledger_entries` (`shop`,`id`) WHERE "ledger_entries"."kind" in ('redeem', 'expire');