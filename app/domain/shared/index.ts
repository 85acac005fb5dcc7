export { DomainError, isDomainError, type DomainErrorCode } from "./errors";
export {
  ADJUSTMENT_REASON_REQUIRED,
  adjustmentReasonSchema,
  asciiMinus,
  mulDivFloor,
  wholeOrText,
  pointsChangeTextSchema,
  POINTS_CHANGE_RANGE,
  WHOLE_POINTS_CHANGE,
  wholeBetween,
} from "./integers";
export {
  MAX_ADJUSTMENT_POINTS,
  MAX_ADJUSTMENT_REASON_LENGTH,
  MAX_AMOUNT_MINOR,
  MAX_ENTRY_POINTS,
  MAX_POINTS_PER_UNIT,
  MAX_SETTING_POINTS,
  MAX_TOTAL_POINTS,
} from "./limits";
export { characterCountWords, tooLongError, tooLongWords, tooLongWordsFor } from "./text-limit";
export {
  currencyCodeSchema,
  formatMinor,
  formatRecordMoney,
  minorPerMajor,
  minorUnits,
  percentOf,
  toMinor,
  type CurrencyCode,
  type Money,
} from "./money";
export {
  customerStatusSchema,
  shopifyCustomerStateSchema,
  statusFromShopifyState,
  type CustomerStatus,
  type ShopifyCustomerState,
} from "./customer-status";
export { protectedFieldSchema, protectedFields, type ProtectedField } from "./protected-data";
export { minimumText, RefusedAmount, settingAmount, settingAmountFromText } from "./money-setting";
export {
  adminMoneyInText,
  adminMoneyWriter,
  formatAdminMoney,
  formatLocaleMoney,
  formatShopMoney,
  localeMoneyWriter,
  shopMoneyWriter,
  type AdminMoneyOptions,
  type MoneyWriter,
} from "./money-format";
export { DAY_YEARS, dayOrderOf, parseTypedDay, typedDayPlaceholder, type DayOrder } from "./calendar-day";
export {
  phoneHint,
  phoneProblemWords,
  phoneSearchDigits,
  readPhone,
  writePhone,
  type PhoneProblem,
  type PhoneReading,
} from "./phone";
export {
  countryName,
  locationLabel,
  readCountry,
  readRegion,
  SHOPIFY_COUNTRY_CODES,
  type CountryReading,
} from "./countries";
export {
  closestLocale,
  knownLocaleName,
  localeName,
  sameLocale,
  storefrontRootFor,
  accountRegisterUrl,
  customerAccountsKind,
  guestAccountUrl,
  type CustomerAccountsKind,
  storefrontTranslationLocales,
  storefrontRootSchema,
  storefrontRootsSchema,
  type StorefrontRoot,
} from "./storefront-roots";
