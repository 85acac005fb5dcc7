-- Search drops apostrophes and hyphens from the index and from the search's terms (SQLite's 0030): a customer indexed
-- before holds one in its search text, and the boot backfill (backfillCustomerSearch) writes those rows again, found by
-- this partial index, in the background; no later write puts a row in it.
CREATE INDEX "customers_search_stale_idx" ON "customers" USING btree ("id") WHERE "customers"."search_text" like '%''%' or "customers"."search_text" like '%-%';
