import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { JobStatusBadge } from "~/components/job-progress";
import type { TaskStatus } from "~/domain/background-jobs";

/** The badge as a merchant's page draws it: its classes (tone, progress pip) and its words. */
function badge(status: TaskStatus, items = { done: 0, skipped: 0, failed: 0 }, kind = "customers.import") {
  const html = renderToStaticMarkup(
    <AppProvider i18n={en}>
      <JobStatusBadge job={{ kind, status, refused: false, cancelRequested: false, items }} />
    </AppProvider>,
  );
  // The progress pip's words, read by a screen reader: "Info Partially complete".
  const spoken = /visuallyHidden">([^<]*)</.exec(html)?.[1];
  return { tone: /Polaris-Badge--tone(\w+)/.exec(html)?.[1], spoken, label: /bodySm">([^<]*)</.exec(html)?.[1] };
}

describe("a job's status badge", () => {
  it("shows a running job in the info tone with the partly complete pip, not the yellow of a warning", () => {
    // Newcomer round 19 (P5): the import's "Running" read as a warning beside "Done with failures".
    expect(badge("running")).toEqual({ tone: "Info", spoken: "Info Partially complete", label: "Running" });
    expect(badge("queued")).toEqual({ tone: "Info", spoken: "Info Incomplete", label: "Queued" });
    expect(badge("succeeded", { done: 3, skipped: 0, failed: 1 }).tone).toBe("Warning");
    expect(badge("succeeded", { done: 3, skipped: 2, failed: 0 })).toMatchObject({ tone: "Success", label: "Done" });
  });

  it("warns of a bulk action that changed no one, each kind in its words; an import of duplicates only stays Done", () => {
    // A tester's -999,999 points to three customers who held fewer: "Done", green, over "0 of 3 customers changed".
    const none = { done: 0, skipped: 3, failed: 0 };
    expect(badge("succeeded", none, "customers.bulk-edit")).toMatchObject({
      tone: "Warning",
      label: "Nothing changed",
    });
    expect(badge("succeeded", none, "customers.points-reminder")).toMatchObject({
      tone: "Warning",
      label: "None sent",
    });
    expect(badge("succeeded", none, "customers.invite")).toMatchObject({ tone: "Warning", label: "None sent" });
    expect(badge("succeeded", { done: 1, skipped: 3, failed: 0 }, "customers.bulk-edit")).toMatchObject({
      tone: "Success",
      label: "Done",
    });
    // Skipped rows of an import are duplicates: nothing went wrong.
    expect(badge("succeeded", none, "customers.import")).toMatchObject({ tone: "Success", label: "Done" });
  });
});
