import { describe, expect, it } from "vitest";
import { remainingText } from "~/components/job-progress";
import { activeJobsTitle, describePhase, emptyCustomerSyncSummary } from "~/domain/background-jobs";
import { asSentence, importedCustomersStatusLine, problemsFileName } from "~/domain/imports";

const en = new Intl.NumberFormat("en-US");
const number = (n: number) => en.format(n);
const running = (kind: string, checkpoint: unknown, summary: Record<string, unknown> | null = null) => ({
  kind,
  status: "running" as const,
  checkpoint,
  summary,
  progress: { done: 0, total: 5000 },
});

describe("a background job's time left, in plain English", () => {
  it('says "less than a second left" without "about", and "about" before any longer time', () => {
    expect([0, 400, 1200, 45_000, 3 * 60_000].map(remainingText)).toEqual([
      "less than a second left",
      "less than a second left",
      "about 1 second left",
      "about 45 seconds left",
      "about 3 minutes left",
    ]);
  });
});

describe("a running job's step, beside its bar", () => {
  it("tells a bulk import's Shopify part apart from the rows Tally applies, and the bar stands still only in the former", () => {
    const bulk = { mode: "bulk" as const };
    expect(
      [
        { ...bulk, phase: "stage", fromByte: 0, fromLine: 1 },
        { ...bulk, phase: "run", step: "customerSet" },
        { ...bulk, phase: "poll", step: "customerSet", operationId: "x", seen: 3200 },
        { ...bulk, phase: "results", step: "customerSet", operationId: "x", downloaded: true, fromByte: 0 },
        { ...bulk, phase: "results", step: "customerSet", since: "2026-12-02T05:00:00.000Z" },
        { ...bulk, phase: "poll", step: "emailConsent", operationId: "y", seen: 10 },
        { ...bulk, phase: "results", step: "accountInvite", operationId: "z", downloaded: true, fromByte: 0 },
      ].map((checkpoint) => describePhase(running("customers.import", checkpoint), number)),
    ).toEqual([
      { text: "Reading your file and preparing its rows for Shopify", counting: true },
      { text: "Shopify is saving the customers. Tally then records each one with their points.", counting: false },
      {
        text: "Shopify is saving the customers: 3,200 saved so far. Tally then records each one with their points.",
        counting: false,
      },
      { text: "Shopify saved the customers; Tally is recording each one with their points", counting: true },
      {
        text: "Shopify saved the customers; Tally is recording each one with their points",
        counting: true,
        countingSince: "2026-12-02T05:00:00.000Z",
      },
      { text: "Setting email marketing consent in Shopify", counting: false },
      { text: "Asking Shopify to email the account invitations", counting: false },
    ]);
    // The row-by-row path applies each row as Shopify answers: its bar says it all.
    expect(describePhase(running("customers.import", { fromByte: 0, fromLine: 1 }), number)).toBeUndefined();
    expect(
      describePhase({ ...running("customers.import", { mode: "bulk", phase: "stage" }), status: "succeeded" }, number),
    ).toBeUndefined();
  });

  it("gives a sync's job page the directory's words: Shopify reading (no time guessed), then Tally applying", () => {
    expect(
      describePhase(
        running("customers.sync", {}, { ...emptyCustomerSyncSummary, phase: "reading", objectsRead: 40 }),
        number,
      ),
    ).toEqual({ text: "Shopify is reading your customers and their orders: 40 read so far", counting: false });
    expect(
      describePhase(
        running("customers.sync", {}, { ...emptyCustomerSyncSummary, phase: "applying", objectsRead: 9, customers: 2 }),
        number,
      ),
    ).toEqual({ text: "2 customers and 0 orders applied of 9 read", counting: true });
  });
});

describe("what an import says of the customers it creates", () => {
  const settings = { invite: false, guestsEarn: true, guestsRedeem: false };
  it("says they start as Guests, what makes them Members, and what their points do meanwhile", () => {
    expect(importedCustomersStatusLine({ create: 5000 }, { ...settings, ran: false })).toBe(
      "New customers start as Guests in Tally: each becomes a Member when they create an account in your store. Their points count in Points outstanding from the start; as Guests they earn points on orders, and they can spend their points once they are Members. Home's guest-to-member conversion counts them as Guests until then.",
    );
    expect(
      importedCustomersStatusLine({ create: 1 }, { invite: true, guestsEarn: false, guestsRedeem: true, ran: true }),
    ).toBe(
      "The customer this import created is a Guest in Tally: they become a Member when they create an account in your store (Shopify's invitation asks them to). Their points count in Points outstanding from the start; as Guests they earn no points on orders, and they can spend their points. Home's guest-to-member conversion counts them as Guests until then.",
    );
    expect(importedCustomersStatusLine({ create: 0, update: 4 }, { ...settings, ran: false })).toBeNull();
  });
});

describe("an import's words end as sentences and name their files", () => {
  it("ends a refusal with one full stop, and names the problems download as the browser saves it", () => {
    expect(
      asSentence(
        "No customers in this file: it has a header row and nothing under it. Add a row per customer and upload it again",
      ),
    ).toBe(
      "No customers in this file: it has a header row and nothing under it. Add a row per customer and upload it again.",
    );
    expect(asSentence("already a sentence.")).toBe("Already a sentence.");
    expect(asSentence("  ")).toBe("");
    expect(problemsFileName("big.csv")).toBe("big-rows-with-problems.csv");
    expect(problemsFileName("Spring list 2026.CSV")).toBe("Spring-list-2026-rows-with-problems.csv");
  });
});

describe("Home's banner title", () => {
  const jobs = (...statuses: string[]) => statuses.map((status) => ({ status }));

  it("counts running and waiting jobs apart, as the lines under it say them", () => {
    expect(activeJobsTitle(jobs("running"))).toBe("A job is running");
    expect(activeJobsTitle(jobs("running", "running", "running"))).toBe("3 jobs are running");
    expect(activeJobsTitle(jobs("queued"))).toBe("A job is waiting to start");
    expect(activeJobsTitle(jobs("queued", "queued"))).toBe("2 jobs are waiting to start");
    expect(activeJobsTitle(jobs("running", "queued"))).toBe("1 job is running, 1 is waiting");
    expect(activeJobsTitle(jobs("running", "running", "queued", "queued"))).toBe("2 jobs are running, 2 are waiting");
  });
});
