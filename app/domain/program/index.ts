export {
  parseProgramSettings,
  programSettingsSchema,
  redeemOptionSchema,
  type ParsedSettings,
  type ProgramSettings,
  type ProgramSettingsInput,
  type RedeemOption,
  type RedeemOptionKind,
} from "./settings";
export {
  defaultProgram,
  defaultSettings,
  faceValueIn,
  programSchema,
  rebaseProgram,
  reviseProgram,
  type Program,
} from "./program";
export {
  earnSkipReason,
  formatPoints,
  hasExcludedTag,
  orderLabel,
  pointsForOrder,
  rateWords,
  signupBonus,
  type CustomerEarningContext,
  type EarnSkipReason,
  type Earning,
  type OrderEarningInput,
} from "./earning";
export {
  describeRedeemOption,
  findRedeemOption,
  getRedeemOption,
  rewardRowTitle,
  rewardRowValue,
  rewardTitleTerms,
  generatedRewardTitle,
  generatedTitleValue,
  isGeneratedTitle,
  type RewardTitleTerms,
  titleFollowingValue,
  shopperRewardTitle,
  type RewardValue,
} from "./redeem-options";
export { pointsForBase, refundedBase, refundPoints, reversalTarget, type EarningRate } from "./reversal";
export {
  describeProgramChange,
  describeProgramChanges,
  diffProgramSettings,
  type ChangeWording,
  type ProgramChange,
} from "./diff";
export {
  describeBase,
  earningBase,
  earningBaseOf,
  giftCardDeduction,
  goodsLineSchema,
  goodsTax,
  includedDutiesDeduction,
  includedTaxDeduction,
  lineValue,
  lineValueOf,
  orderGoodsSchema,
  unitsValue,
  type Deduction,
  type DeductionKind,
  type EarningBase,
  type GoodsLine,
  type LineValue,
  type OrderGoods,
} from "./earning-base";
export {
  goodsMoneyBack,
  moneyGivenBack,
  refundMoneySchema,
  shippingGivenBack,
  type GoodsMoneyBack,
  type RefundMoney,
} from "./refund-money";
export { defaultPointsNaming, pointsInWords, pointsNameFor, type PointsNaming } from "./points-words";
