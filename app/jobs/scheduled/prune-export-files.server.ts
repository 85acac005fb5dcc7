import { EXPORT_FILE_KEEP_MS } from "~/domain/background-jobs";
import { pruneExportFiles } from "~/lib/export-files.server";
import { contextForAllShops } from "~/shopify.server";
import type { AllShopsJob } from "../scheduled-job";

/**
 * A customer export's file (personal data) is deleted once its download window and the last signed link handed out
 * in it have passed, plus a margin (decision 031); the job page then offers to export again.
 */
export const pruneExportFilesJob: AllShopsJob = {
  name: "prune export files",
  scope: "all shops",
  every: "tick",
  perform: () => pruneExportFiles({ now: contextForAllShops("tally-jobs").now, keepMs: EXPORT_FILE_KEEP_MS }),
};
