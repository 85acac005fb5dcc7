-- A claim by a shopper who already paid for an order here is "not_new", not "blocked" (decision 077): refused at the
-- claim ("This offer is for new customers"), it has no code and nothing for staff to decide, and no figure counts it.
-- Claims stored before as blocked for it (the fraud check's `already_customer` signal at the claim, no order) become
-- what such a claim is now; a referral blocked for anything else, or at its order, stays blocked. Their recorded story
-- is left as it was written.
UPDATE `referrals`
  SET `status` = 'not_new', `review` = NULL,
    `state` = json_set(`state`, '$.status', 'not_new', '$.review', json('null'))
  WHERE `status` = 'blocked'
    AND `order_gid` IS NULL
    AND EXISTS (
      SELECT 1 FROM json_each(`referrals`.`state`, '$.signals')
      WHERE json_extract(`value`, '$.code') = 'already_customer' AND json_extract(`value`, '$.at') = 'claim'
    );
