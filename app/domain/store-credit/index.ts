export {
  columnBalance,
  overDeduction,
  StoreCreditShort,
  storeCreditDirectionSchema,
  storeCreditFormSchema,
  type StoreCreditChange,
  type StoreCreditDirection,
} from "./store-credit";
