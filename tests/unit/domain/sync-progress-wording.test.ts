import { describe, expect, it } from "vitest";
import {
  describeSyncProgress,
  emptyCustomerSyncSummary,
  syncCustomersKind,
  syncDoneToast,
} from "~/domain/background-jobs";

const en = new Intl.NumberFormat("en-US");
const number = (n: number) => en.format(n);

describe("Sync customers' progress, in the merchant's words", () => {
  it("says what is happening in each phase, counting customers and orders, never objects", () => {
    const lines = [
      describeSyncProgress(emptyCustomerSyncSummary, number, true),
      describeSyncProgress({ ...emptyCustomerSyncSummary, phase: "starting" }, number),
      describeSyncProgress({ ...emptyCustomerSyncSummary, phase: "reading", objectsRead: 4340 }, number),
      describeSyncProgress(
        { ...emptyCustomerSyncSummary, phase: "applying", objectsRead: 6780, customers: 1240, orders: 3100 },
        number,
      ),
      describeSyncProgress(
        { ...emptyCustomerSyncSummary, phase: "done", objectsRead: 2, customers: 1, orders: 1 },
        number,
      ),
    ];
    expect(lines).toEqual([
      "Asking Shopify for your customers and their orders…",
      "Asking Shopify for your customers and their orders…",
      "Shopify is reading your customers and their orders: 4,340 read so far",
      "1,240 customers and 3,100 orders applied of 6,780 read",
      "1 customer and 1 order applied of 2 read",
    ]);
    for (const line of lines) expect(line).not.toMatch(/object/i);
  });

  it("writes counts as the staff member's locale does", () => {
    const de = new Intl.NumberFormat("de-DE");
    const summary = {
      ...emptyCustomerSyncSummary,
      phase: "applying" as const,
      objectsRead: 6780,
      customers: 1240,
      orders: 0,
    };
    expect(describeSyncProgress(summary, (n) => de.format(n))).toBe(
      "1.240 customers and 0 orders applied of 6.780 read",
    );
  });

  it("names the job's unit as customers and orders on the Jobs page", () => {
    expect(syncCustomersKind.unit).toEqual({ one: "customer or order", other: "customers and orders" });
  });

  it("ends with a toast saying what changed, or that all were up to date", () => {
    const number = (n: number) => new Intl.NumberFormat("en-US").format(n);
    const done = { ...emptyCustomerSyncSummary, phase: "done" as const, customers: 2400, objectsRead: 6780 };
    expect(syncDoneToast({ ...done, customersChanged: 1240 }, number)).toBe("Customers synced: 1,240 new or updated");
    expect(syncDoneToast(done, number)).toBe("Customers synced: all were up to date");
    expect(syncDoneToast(null, number)).toBe("Customers synced: all were up to date");
  });
});
