export * from "./customer-query";
export * from "./directory";
export * from "./search";
export * from "./range-filters";
export * from "./directory-words";
export {
  addCustomerFact,
  customerFactsSchema,
  emptyCustomerFacts,
  existedBeforeInstall,
  factTagKey,
  memberSince,
  newestSnapshotAt,
  sameHistory,
  stateAt,
  statusAt,
  tagsAt,
  type CustomerFact,
  type CustomerFacts,
} from "./facts";
export * from "./insights";
export { isNewerEmailConsent, type EmailConsent } from "./email-consent";
export * from "./tags";
export * from "./contact-version";
export { refuseIfDeleted, type DeletedCustomerAction } from "./deleted";
export { NO_CONTACT_WORDS, parseCustomerEditForm, type CustomerEdits, type MarketingState } from "./edit-form";
