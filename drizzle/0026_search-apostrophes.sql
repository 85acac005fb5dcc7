-- Search reads the apostrophes and hyphens of smart punctuation and pasted text as ASCII ' and - (foldPunctuation in
-- app/domain/customers/search.ts, decision 031), on write and on query. A customer whose name or email holds one was
-- indexed by the old fold ("o’neill"), which only JavaScript has: their search text is emptied, which takes them out
-- of the search index (customers_search_update), and the boot backfill (backfillCustomerSearch, which finds them by
-- customers_search_pending_idx) writes both search columns again. A phone is indexed as its digits: none counts there.
-- The characters, by code point: ‘ ’ ‛ ʼ ʻ ʹ ` ´ ′, the Greek ones NFC makes ` ´ ʹ of, and ‐ ‑ ‒ –.
UPDATE `customers` SET `search_text` = NULL
  WHERE `search_text` IS NOT NULL
    AND (coalesce(`first_name`, '') || coalesce(`last_name`, '') || coalesce(`email`, '')) GLOB ('*[' || char(
      0x2018, 0x2019, 0x201B, 0x02BC, 0x02BB, 0x02B9, 0x0060, 0x00B4, 0x2032, 0x1FEF, 0x1FFD, 0x0374,
      0x2010, 0x2011, 0x2012, 0x2013) || ']*');
