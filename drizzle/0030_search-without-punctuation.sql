-- Search drops apostrophes and hyphens from the index and from the search's terms (foldForIndex in
-- app/domain/customers/search.ts, decision 031), so "oneill" finds "O'Neill" and "jeanluc" finds "Jean-Luc". A
-- customer indexed before holds one in its search text ("o'neill", "jean-luc@example.fr"); the fold is JavaScript's,
-- so the boot backfill (backfillCustomerSearch) writes those rows again, found by this partial index, a few at a time
-- in the background. Emptying their search text here instead would hold the deploy for the search index's secure
-- deletes (0026 took 14 s of its 17.6 s for 3,334 rows at 1,000,000 customers; hyphenated email domains are far more),
-- and would hide them from search until rewritten; this only reads the table once. No later write puts a row in the
-- index: it is empty once the backfill ran.
CREATE INDEX `customers_search_stale_idx` ON `customers` (`id`) WHERE "customers"."search_text" like '%''%' or "customers"."search_text" like '%-%';
