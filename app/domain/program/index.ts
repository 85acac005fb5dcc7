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
  signupBonus,
  type CustomerEarningContext,
  type EarnSkipReason,
  type Earning,
  type OrderEarningInput,
} from "./earning";
export { describeRedeemOption, findRedeemOption, getRedeemOption } from "./redeem-options";
export { pointsToReverse, refundShare, reversalTarget } from "./reversal";
export {
  describeProgramChange,
  describeProgramChanges,
  diffProgramSettings,
  type ChangeWording,
  type EarningRate,
  type ProgramChange,
} from "./diff";
