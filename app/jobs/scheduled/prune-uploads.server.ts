import { uploadsDir } from "~/lib/uploads.server";
import { KEEP_UPLOADS_DAYS, pruneImportUploads } from "~/services/imports/prune-uploads.server";
import { contextForAllShops } from "~/shopify.server";
import type { AllShopsJob } from "../scheduled-job";

/** Uploaded CSVs go a week after their import ended or their preview was left, orphans after a day (decision 033). */
export const pruneUploadsJob: AllShopsJob = {
  name: "prune uploaded files",
  scope: "all shops",
  every: "tick",
  perform: () =>
    pruneImportUploads({
      ctx: contextForAllShops("tally-jobs"),
      input: { dir: uploadsDir(), keepDays: KEEP_UPLOADS_DAYS, limit: 20 },
    }),
};
