import { z } from "zod";
import {
  shopifyCustomerStateSchema,
  statusFromShopifyState,
  type CustomerStatus,
  type ShopifyCustomerState,
} from "~/domain/shared";

/*
 * What Shopify has told Tally about one customer, kept as dated facts rather than as "the latest values", so that the
 * customer can be asked about any moment: was she tagged `wholesale` when order #1042 was paid at 10:02? Shopify
 * delivers customer webhooks at least once and in any order, and a tag can reach us through customers/create,
 * customers/update (the whole list), customer.tags_added/removed (a change) or reconciliation (the whole list), each
 * with its own time. Every question below is answered from the *set* of facts alone, never from their arrival order:
 *
 * - A customer's state or tags at T is the word of the latest fact dated at or before T. Before the first fact, the
 *   earliest whole snapshot holds (nothing is known to have changed before it), and a tag event says the opposite held
 *   before it (tags_added at 11:00 means the tag was absent before 11:00).
 * - A snapshot and an event at the same instant: the event wins (it is the more specific word). Two snapshots at the
 *   same instant are united.
 * - A fact without a date of its own (the customer inside an order payload, whose `updated_at` Shopify may leave null)
 *   is kept apart and used only while no dated fact says anything about that field: the delivery time is not the
 *   fact's time, so it never overwrites, nor is overwritten by, ordering. Undated words combine among themselves
 *   (ENABLED if any said so, tags united), which is again independent of order.
 *
 * Timelines keep their newest `maxPoints` facts; anything older says nothing about moments after the oldest one kept.
 */

const timestampSchema = z.iso.datetime({ offset: true });
const maxPoints = 50;

const statePointSchema = z.object({ at: timestampSchema, state: shopifyCustomerStateSchema });
const tagSnapshotSchema = z.object({ at: timestampSchema, tags: z.array(z.string()) });
const tagEventSchema = z.object({ at: timestampSchema, present: z.boolean() });

export const customerFactsSchema = z.object({
  /** Dated states from customer snapshots, oldest first. */
  states: z.array(statePointSchema),
  /** Dated whole tag lists (lowercased keys), oldest first. */
  tagSnapshots: z.array(tagSnapshotSchema),
  /** Dated tag changes per tag key, oldest first. */
  tagEvents: z.record(z.string(), z.array(tagEventSchema)),
  /** The spelling each tag key was last given, for display. */
  labels: z.record(z.string(), z.string()),
  undated: z.object({ state: shopifyCustomerStateSchema.nullable(), tags: z.array(z.string()).nullable() }),
});
export type CustomerFacts = z.infer<typeof customerFactsSchema>;

export const emptyCustomerFacts: Readonly<CustomerFacts> = Object.freeze({
  states: [],
  tagSnapshots: [],
  tagEvents: {},
  labels: {},
  undated: { state: null, tags: null },
});

/** One thing Shopify said about a customer. `at: null` is a fact without a date of its own. */
export type CustomerFact =
  | {
      kind: "snapshot";
      at: string | null;
      /** Absent when the payload did not say (not "DISABLED"). */
      state?: ShopifyCustomerState | null;
      /** The whole tag list; absent when the payload carried none (not "no tags"). */
      tags?: readonly string[] | null;
    }
  | { kind: "tags"; at: string; tags: readonly string[]; present: boolean };

/**
 * A tag's key in a customer's dated facts (their tag events): trimmed and lower-cased. Not the directory's `tagKey`
 * (app/domain/customers/tags.ts, ASCII letters only, as the databases' lower() writes it): facts stored under this key
 * keep it.
 */
export const factTagKey = (tag: string) => tag.trim().toLowerCase();

/** Instants as UTC ISO strings, so they compare as text ("06:00-05:00" is 11:00Z). */
function instant(at: string): string {
  return new Date(Date.parse(timestampSchema.parse(at))).toISOString();
}

const stateRank: Record<ShopifyCustomerState, number> = { ENABLED: 3, INVITED: 2, DECLINED: 1, DISABLED: 0 };

function newest<T extends { at: string }>(points: T[]): T[] {
  points.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return points.length > maxPoints ? points.slice(points.length - maxPoints) : points;
}

function cleanTags(tags: readonly string[]): string[] {
  return tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0);
}

/** The facts with one more fact added; adding a fact already there changes nothing. */
export function addCustomerFact(current: CustomerFacts, fact: CustomerFact): CustomerFacts {
  const facts: CustomerFacts = {
    states: [...current.states],
    tagSnapshots: [...current.tagSnapshots],
    tagEvents: { ...current.tagEvents },
    labels: { ...current.labels },
    undated: { ...current.undated },
  };
  const tags = fact.tags ? cleanTags(fact.tags) : null;
  for (const tag of tags ?? []) facts.labels[factTagKey(tag)] = tag;

  if (fact.kind === "tags") {
    const at = instant(fact.at);
    for (const tag of tags ?? []) {
      const key = factTagKey(tag);
      const events = [...(facts.tagEvents[key] ?? [])];
      const same = events.findIndex((event) => event.at === at);
      // Added and removed at the same instant: present wins, whichever arrived first.
      if (same >= 0) events[same] = { at, present: events[same]!.present || fact.present };
      else events.push({ at, present: fact.present });
      facts.tagEvents[key] = newest(events);
    }
    return facts;
  }

  if (fact.at === null) {
    if (fact.state) {
      const was = facts.undated.state;
      facts.undated.state = was && stateRank[was] >= stateRank[fact.state] ? was : fact.state;
    }
    if (tags) {
      const keys = new Set([...(facts.undated.tags ?? []), ...tags.map(factTagKey)]);
      facts.undated.tags = [...keys].sort();
    }
    return facts;
  }

  const at = instant(fact.at);
  if (fact.state) {
    const same = facts.states.findIndex((point) => point.at === at);
    if (same < 0) facts.states = newest([...facts.states, { at, state: fact.state }]);
    else if (stateRank[fact.state] > stateRank[facts.states[same]!.state]) {
      facts.states[same] = { at, state: fact.state };
    }
  }
  if (tags) {
    const keys = tags.map(factTagKey);
    const same = facts.tagSnapshots.findIndex((snapshot) => snapshot.at === at);
    if (same < 0) facts.tagSnapshots = newest([...facts.tagSnapshots, { at, tags: [...new Set(keys)].sort() }]);
    else {
      const united = new Set([...facts.tagSnapshots[same]!.tags, ...keys]);
      facts.tagSnapshots[same] = { at, tags: [...united].sort() };
    }
  }
  return facts;
}

function latestAtOrBefore<T extends { at: string }>(points: readonly T[], at: string): T | undefined {
  let found: T | undefined;
  for (const point of points) {
    if (point.at > at) break;
    found = point;
  }
  return found;
}

/** Whether the tag (a key) was on the customer at `at`, from dated facts only; undefined when none speaks of tags. */
function datedTagAt(facts: CustomerFacts, key: string, at: string): boolean | undefined {
  const events = facts.tagEvents[key] ?? [];
  if (facts.tagSnapshots.length === 0 && events.length === 0) return undefined;
  const snapshot = latestAtOrBefore(facts.tagSnapshots, at);
  const event = latestAtOrBefore(events, at);
  if (snapshot || event) {
    if (event && (!snapshot || event.at >= snapshot.at)) return event.present;
    return snapshot!.tags.includes(key);
  }
  const firstSnapshot = facts.tagSnapshots[0];
  const firstEvent = events[0];
  if (firstEvent && (!firstSnapshot || firstEvent.at < firstSnapshot.at)) return !firstEvent.present;
  return firstSnapshot ? firstSnapshot.tags.includes(key) : false;
}

function hasDatedTags(facts: CustomerFacts): boolean {
  return facts.tagSnapshots.length > 0 || Object.values(facts.tagEvents).some((events) => events.length > 0);
}

const endOfTime = "9999-12-31T23:59:59.999Z";

/** The customer's tags (as last spelled) at `at`, or now when `at` is omitted. */
export function tagsAt(facts: CustomerFacts, at: string = endOfTime): string[] {
  const moment = at === endOfTime ? at : instant(at);
  const keys = hasDatedTags(facts)
    ? new Set([...facts.tagSnapshots.flatMap((snapshot) => snapshot.tags), ...Object.keys(facts.tagEvents)])
    : new Set(facts.undated.tags ?? []);
  const present = hasDatedTags(facts) ? [...keys].filter((key) => datedTagAt(facts, key, moment) === true) : [...keys];
  return present.sort().map((key) => facts.labels[key] ?? key);
}

/** The customer's Shopify state at `at` (now when omitted); null when Shopify never said. */
export function stateAt(facts: CustomerFacts, at: string = endOfTime): ShopifyCustomerState | null {
  if (facts.states.length === 0) return facts.undated.state;
  const moment = at === endOfTime ? at : instant(at);
  return (latestAtOrBefore(facts.states, moment) ?? facts.states[0]!).state;
}

/** Member or Guest at `at`: a customer Shopify never gave a state is a Guest. */
export function statusAt(facts: CustomerFacts, at?: string): CustomerStatus {
  const state = stateAt(facts, at);
  return state ? statusFromShopifyState(state) : "guest";
}

/** The earliest dated moment the customer was seen with an account (ENABLED); the sign-up bonus is decided there. */
export function memberSince(facts: CustomerFacts): string | null {
  return facts.states.find((point) => point.state === "ENABLED")?.at ?? null;
}

/** The newest dated snapshot's time: contact details follow it, and an older one never replaces them. */
export function newestSnapshotAt(facts: CustomerFacts): string | null {
  const times = [facts.states.at(-1)?.at, facts.tagSnapshots.at(-1)?.at].filter((at): at is string => Boolean(at));
  return times.sort().at(-1) ?? null;
}

/**
 * Whether two sets of facts describe the same customer at every moment (state and tags), so a fact that only
 * repeats what was known needs no earning looked at again. Both are step functions that change only at fact times.
 */
export function sameHistory(a: CustomerFacts, b: CustomerFacts): boolean {
  const moments = new Set<string>([endOfTime]);
  for (const facts of [a, b]) {
    for (const point of facts.states) moments.add(point.at);
    for (const snapshot of facts.tagSnapshots) moments.add(snapshot.at);
    for (const events of Object.values(facts.tagEvents)) for (const event of events) moments.add(event.at);
  }
  const beforeAll = [...moments].sort()[0]!;
  const probes = [...moments, new Date(Date.parse(beforeAll) - 1).toISOString()];
  return probes.every(
    (at) => stateAt(a, at) === stateAt(b, at) && tagsAt(a, at).join("\u0000") === tagsAt(b, at).join("\u0000"),
  );
}

/**
 * Whether a customer Shopify created at `createdAt` (Shopify's customer createdAt, ISO 8601, whole seconds) already
 * had their account when Tally was installed at `installedAt` (Tally's install time, ISO 8601 with milliseconds): such
 * a customer is a Member from before Tally and earns no sign-up bonus. Shopify's times drop the milliseconds, so the
 * install's own second counts as after the install: a customer read by the install sync or the storefront in that
 * second most likely signed up once Tally was there. An undated record, or an unknown install time, counts as before
 * (no bonus is invented).
 */
export function existedBeforeInstall(createdAt: string | null | undefined, installedAt: string | null | undefined) {
  const created = Date.parse(createdAt ?? "");
  const installed = Date.parse(installedAt ?? "");
  if (Number.isNaN(created) || Number.isNaN(installed)) return true;
  return created < Math.floor(installed / 1000) * 1000;
}
