export { DomainError, isDomainError, type DomainErrorCode } from "./errors";
export { mulDivFloor } from "./integers";
export {
  currencyCodeSchema,
  formatMinor,
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
