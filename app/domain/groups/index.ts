export { groupDiscountFormSchema, groupFormSchema, type GroupDiscountForm, type GroupForm } from "./groups";
