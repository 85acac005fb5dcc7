-- A task a rule refused is told apart from one that broke (tasks.refused); who spent points since a bulk adjustment
-- is read from the shop's redemptions and expiries since it (decision 026), not from its customers.
ALTER TABLE "tasks" ADD COLUMN "refused" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "ledger_entries_spending_idx" ON "ledger_entries" USING btree ("shop","id") WHERE "ledger_entries"."kind" in ('redeem', 'expire');