export {
  discountCodeHint,
  groupDiscountDoubt,
  groupDiscountDoubtWords,
  groupDiscountEndRefusal,
  groupDiscountEndsAt,
  groupDiscountFormSchema,
  groupDiscountFormSchemaOn,
  parseGroupDiscountForm,
  groupDiscountMethods,
  groupDiscountRetitlePlan,
  groupDiscountRetitleWarning,
  groupDiscountTitle,
  groupFormSchema,
  isAutomaticDiscount,
  type GroupDiscountDoubt,
  type GroupDiscountForm,
  type GroupDiscountMethod,
  type GroupDiscountRetitle,
  type GroupForm,
  type GroupMemberCount,
} from "./groups";
export { segmentQueryOf, segmentString, type SegmentTranslation, type UnexpressibleFilter } from "./segment-from-query";
export { segmentQueryErrorWords } from "./segment-query-errors";
