export {
  columnBalance,
  largeIssueMinor,
  overDeduction,
  StoreCreditShort,
  storeCreditDirectionSchema,
  storeCreditFormSchema,
  typedOverDeduction,
  type StoreCreditChange,
  type StoreCreditDirection,
} from "./store-credit";
