export {
  columnBalance,
  largeIssueMinor,
  MAX_STORE_CREDIT_REASON_LENGTH,
  overDeduction,
  StoreCreditShort,
  storeCreditDirectionSchema,
  storeCreditFormSchema,
  typedOverDeduction,
  type StoreCreditChange,
  type StoreCreditDirection,
} from "./store-credit";
