export {
  columnBalance,
  storeCreditDirectionSchema,
  storeCreditFormSchema,
  type StoreCreditChange,
  type StoreCreditDirection,
} from "./store-credit";
