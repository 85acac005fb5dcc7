import { gid } from "../ids";
import { majorValue } from "../money";
import * as payloads from "../payloads";
import { matchesSegment, parseSegmentQuery, SegmentQueryError, type SegmentFacts } from "../segment-query";
import type { ShopRecord } from "../shops";
import type { CustomerRecord, SegmentRecord } from "../store/index";
import { iso, type OperationsBase, SandboxError } from "./base";

/**
 * Customer segments: saved segment-language queries (segments/create, update, delete), membership read off the
 * customer and their order figures, and customer.joined_segment / left_segment when a change moves a customer in or
 * out of a segment.
 */
export class SegmentOperations {
  constructor(private readonly base: OperationsBase) {}

  create(shop: ShopRecord, name: string, query: string): SegmentRecord {
    const trimmed = name.trim();
    if (!trimmed) throw new SandboxError("Name can't be blank", ["name"], "BLANK");
    if (shop.store.segments.some((s) => s.name.toLowerCase() === trimmed.toLowerCase()))
      throw new SandboxError("Name has already been taken", ["name"], "TAKEN");
    const expression = parse(query);
    const now = iso();
    const segment: SegmentRecord = {
      id: shop.store.nextId("Segment"),
      name: trimmed,
      query: query.trim(),
      expression,
      creationDate: now,
      lastEditDate: now,
    };
    shop.store.segments.push(segment);
    this.base.emit(shop, "segments/create", payloads.segmentPayload("segments/create", segment));
    return segment;
  }

  update(shop: ShopRecord, id: string, change: { name?: string | null; query?: string | null }): SegmentRecord {
    const segment = this.findOrThrow(shop, id);
    const name = change.name?.trim();
    if (change.name !== undefined && change.name !== null && !name)
      throw new SandboxError("Name can't be blank", ["name"], "BLANK");
    if (name && shop.store.segments.some((s) => s !== segment && s.name.toLowerCase() === name.toLowerCase()))
      throw new SandboxError("Name has already been taken", ["name"], "TAKEN");
    const expression = change.query !== undefined && change.query !== null ? parse(change.query) : segment.expression;
    if (name) segment.name = name;
    if (change.query !== undefined && change.query !== null) {
      segment.query = change.query.trim();
      segment.expression = expression;
    }
    segment.lastEditDate = iso();
    this.base.emit(shop, "segments/update", payloads.segmentPayload("segments/update", segment));
    return segment;
  }

  delete(shop: ShopRecord, id: string) {
    const segment = this.findOrThrow(shop, id);
    shop.store.segments.splice(shop.store.segments.indexOf(segment), 1);
    this.base.emit(shop, "segments/delete", payloads.segmentDeletePayload(segment));
    return segment;
  }

  find(shop: ShopRecord, id: string) {
    return shop.store.segments.find((s) => s.id === id);
  }

  private findOrThrow(shop: ShopRecord, id: string) {
    const segment = this.find(shop, id);
    if (!segment) throw new SandboxError("Segment does not exist", ["id"], "NOT_FOUND");
    return segment;
  }

  /** What the segment language reads off a customer: their fields, order count, amount spent and order dates. */
  facts(shop: ShopRecord, c: CustomerRecord): SegmentFacts {
    const { orders } = shop.store;
    const stats = orders.statsOf(c.index);
    const orderDate = (pick: (indexes: number[]) => number) => () => {
      const indexes = orders.indexesOf(c.index);
      return indexes.length ? (orders.find(pick(indexes))?.createdAt ?? null) : null;
    };
    return {
      amountSpent: majorValue(Math.max(0, stats.spentCents), shop.currency),
      numberOfOrders: stats.count,
      tags: c.tags,
      emailSubscriptionStatus: c.marketing.state,
      smsSubscriptionStatus: c.sms?.state ?? "NOT_SUBSCRIBED",
      accountStatus: c.state,
      emailDomain: c.email?.split("@")[1]?.toLowerCase() ?? null,
      countries: c.address ? [c.address.countryCode] : [],
      addedAt: c.createdAt,
      // Order indexes follow time: seeded orders are dated in index order, later ones are placed after them.
      firstOrderAt: orderDate((indexes) => Math.min(...indexes)),
      lastOrderAt: orderDate((indexes) => Math.max(...indexes)),
    };
  }

  isMember(shop: ShopRecord, segment: Pick<SegmentRecord, "expression">, c: CustomerRecord, nowMs = Date.now()) {
    return matchesSegment(segment.expression, this.facts(shop, c), nowMs, shop.timezone);
  }

  /** The ids of the shop's segments a customer belongs to now. */
  membershipOf(shop: ShopRecord, c: CustomerRecord | undefined): Set<string> {
    if (!c || shop.store.segments.length === 0) return new Set();
    const nowMs = Date.now();
    return new Set(shop.store.segments.filter((s) => this.isMember(shop, s, c, nowMs)).map((s) => s.id));
  }

  /** customer.joined_segment / left_segment for every segment a change moved the customer into or out of. */
  settle(shop: ShopRecord, before: Set<string>, after: CustomerRecord | undefined) {
    if (!after) return;
    const now = this.membershipOf(shop, after);
    const customerGid = gid("Customer", after.id);
    for (const id of now)
      if (!before.has(id))
        this.base.emit(shop, "customer.joined_segment", payloads.segmentMembershipPayload(shop, customerGid, id));
    for (const id of before)
      if (!now.has(id))
        this.base.emit(shop, "customer.left_segment", payloads.segmentMembershipPayload(shop, customerGid, id));
  }
}

function parse(query: string) {
  try {
    return parseSegmentQuery(query);
  } catch (error) {
    if (error instanceof SegmentQueryError) throw new SandboxError(error.message, ["query"], "INVALID");
    throw error;
  }
}
