export {
  DATA_REQUEST_ANSWER_DAYS,
  dataRequestDeadline,
  exportCsvColumns,
  exportCsvRows,
  isDataRequestExpired,
  type ExportCsvRow,
} from "./data-requests";
