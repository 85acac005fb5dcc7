export { groupDiscountFormSchema, groupFormSchema, type GroupDiscountForm, type GroupForm } from "./groups";
export { segmentQueryOf, segmentString, type SegmentTranslation, type UnexpressibleFilter } from "./segment-from-query";
