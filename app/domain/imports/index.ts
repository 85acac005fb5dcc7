export { asSentence, checkFailedBadge, checkFailedWords } from "./check-failed";
export { checkAddress, type AddressCells, type AnsweredAddress, type ImportedAddress } from "./address-cells";
export { checkEmail, checkPhone, checkPoints, checkRowWidth, checkYesNo, type Checked } from "./cells";
export {
  cellOf,
  mapColumns,
  missingColumnsWords,
  normaliseHeader,
  type ColumnField,
  type ColumnMapping,
} from "./columns";
export {
  checkCustomerRow,
  customerColumns,
  customerFields,
  existingCustomerChoiceSchema,
  phoneCountryOf,
  type CheckedCustomerRow,
  type CustomerImportOptions,
  type CustomerField,
  type ExistingCustomerChoice,
  type ImportedCustomer,
} from "./customer-rows";
export {
  SAMPLE_CUSTOMERS_FILE_NAME,
  sampleCustomersCsv,
  sampleCustomersHeader,
  sampleCustomersRows,
} from "./sample-customers";
export {
  checkPointsRow,
  mapPointsColumns,
  pointsSourceColumns,
  pointsSourceHeadings,
  pointsSourceNames,
  pointsSourceSchema,
  type CheckedPointsRow,
  type PointsSource,
} from "./points-sources";
export {
  ALREADY_MATCHES,
  alreadyMatches,
  changesAddress,
  changesSomething,
  customerChanges,
  importChangesNothing,
  importFiguresInWords,
  importedFields,
  importedPointsToAdd,
  type CustomerChanges,
  type ImportedField,
  type KnownCustomerFields,
  type ProposedFields,
} from "./customer-changes";
export { MAX_UPLOAD_BYTES, uploadTooLarge, uploadTooLargeWords } from "./upload-limits";
export {
  customerChangesSection,
  moreRowsLine,
  customerImportRanLine,
  customerPreviewLines,
  importedCustomersStatusLine,
  type CustomerImportResults,
  type ImportWords,
} from "./customer-outcome";
export { problemRowWidth, problemsFileHeader, problemsFileName, problemsFileRow } from "./problems-file";
export { backfillGivenFigures, backfillGivesNothing, backfillLeft, backfillLines } from "./backfill-outcome";
export { backfillRangeFrom, type BackfillRange } from "./backfill-range";
