import { GraphQLError } from "graphql";
import { gid, parseGid } from "../../ids";
import { majorValue } from "../../money";
import { parseSegmentQuery, SegmentQueryError, type SegmentExpression } from "../../segment-query";
import type { ShopRecord } from "../../shops";
import type { CustomerRecord, SegmentRecord } from "../../store/index";
import { connection, fromList, type ConnectionArgs } from "../connection";
import type { AdminContext, NodeFinders } from "../context";
import { dt, money, userErrors } from "../values";
import { addressView, scanCustomers } from "./customers";
import { metafieldsOf } from "./metafields";

export function segmentView(s: SegmentRecord) {
  return {
    __typename: "Segment",
    id: gid("Segment", s.id),
    name: s.name,
    query: s.query,
    creationDate: dt(s.creationDate),
    lastEditDate: dt(s.lastEditDate),
  };
}

/** A segment member as customerSegmentMembers shows it: the customer's figures, under a member id. */
function memberView(shop: ShopRecord, c: CustomerRecord) {
  const stats = shop.store.orders.statsOf(c.index);
  const orders = shop.store.orders.indexesOf(c.index);
  return {
    __typename: "CustomerSegmentMember",
    id: gid("CustomerSegmentMember", c.id),
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.phone || "",
    note: c.note,
    numberOfOrders: String(stats.count),
    amountSpent: money(Math.max(0, stats.spentCents), shop.currency),
    lastOrderId: orders.length ? gid("Order", shop.store.id("Order", Math.max(...orders))) : null,
    defaultAddress: c.address ? addressView(c) : null,
    defaultEmailAddress: c.email
      ? {
          emailAddress: c.email,
          marketingState: c.marketing.state,
          marketingOptInLevel: c.marketing.optInLevel,
          marketingUpdatedAt: dt(c.marketing.updatedAt),
          validFormat: true,
        }
      : null,
    defaultPhoneNumber: c.phone
      ? {
          phoneNumber: c.phone,
          marketingState: c.sms?.state ?? "NOT_SUBSCRIBED",
          marketingOptInLevel: c.sms?.optInLevel ?? null,
          marketingUpdatedAt: dt(c.sms?.updatedAt ?? null),
          marketingCollectedFrom: "OTHER",
        }
      : null,
    ...metafieldsOf(shop, gid("Customer", c.id)),
  };
}

export const segmentNodes: NodeFinders = {
  Segment: (shop, id) => {
    const s = shop.store.segments.find((x) => x.id === id);
    return s ? segmentView(s) : null;
  },
};

const SEGMENT_SEARCH = {
  text: (s: SegmentRecord) => [s.name],
  fields: { id: (s: SegmentRecord) => s.id, name: (s: SegmentRecord) => s.name },
  numbers: ["id"],
};

/** The expression customerSegmentMembers filters by: a saved segment's, or a query given inline. */
function membersExpression(shop: ShopRecord, args: { segmentId?: string | null; query?: string | null }) {
  if (args.segmentId) {
    const segment = shop.store.segments.find((s) => s.id === parseGid(args.segmentId!)?.id);
    if (!segment) throw new GraphQLError("Segment does not exist.", { extensions: { code: "NOT_FOUND" } });
    return segment.expression;
  }
  if (args.query) {
    try {
      return parseSegmentQuery(args.query);
    } catch (error) {
      if (error instanceof SegmentQueryError)
        throw new GraphQLError(error.message, { extensions: { code: "BAD_REQUEST" } });
      throw error;
    }
  }
  throw new GraphQLError("Either segmentId, query or queryId must be provided.", {
    extensions: { code: "BAD_REQUEST" },
  });
}

export const segmentQueries = (ctx: AdminContext) => {
  const { shop, ops } = ctx;
  const store = shop.store;
  return {
    segment: ({ id }: { id: string }) => ctx.views.node(shop, id.startsWith("gid://shopify/Segment/") ? id : "x"),
    segments: (args: ConnectionArgs) =>
      connection(args, ctx, false, {
        scan: (from, rev) => fromList(store.segments, from, rev),
        view: segmentView,
        search: SEGMENT_SEARCH,
        sort: { CREATION_DATE: (s) => s.creationDate, LAST_EDIT_DATE: (s) => s.lastEditDate },
      }),
    segmentsCount: () => ({ count: store.segments.length, precision: "EXACT" }),
    /**
     * The customers a segment (or an inline query) selects, in id order. Each page scans from its cursor; totalCount
     * and statistics scan every customer (see STATUS.md for the cost at 1,000,000 customers).
     */
    customerSegmentMembers: (
      args: ConnectionArgs & { segmentId?: string | null; queryId?: string | null; timezone?: string | null },
    ) => {
      if (args.sortKey)
        throw new GraphQLError(`The sandbox does not sort segment members by ${args.sortKey}`, {
          extensions: { code: "SANDBOX_NOT_IMPLEMENTED" },
        });
      if (args.queryId)
        throw new GraphQLError("The sandbox does not implement customerSegmentMembersQuery ids", {
          extensions: { code: "SANDBOX_NOT_IMPLEMENTED" },
        });
      const expression: SegmentExpression = membersExpression(shop, args);
      const nowMs = Date.now();
      const isMember = (c: CustomerRecord) => ops.segments.isMember(shop, { expression }, c, nowMs);
      const page = connection({ ...args, query: null }, ctx, false, {
        scan: scanCustomers(shop),
        view: (c) => memberView(shop, c),
        filter: isMember,
      });
      const members = () => {
        const all: CustomerRecord[] = [];
        for (const c of store.customers.scan()) if (isMember(c)) all.push(c);
        return all;
      };
      return {
        ...page,
        totalCount: () => members().length,
        statistics: {
          attributeStatistics: ({ attributeName }: { attributeName: string }) => {
            const read =
              attributeName === "amount_spent"
                ? (c: CustomerRecord) =>
                    majorValue(Math.max(0, store.orders.statsOf(c.index).spentCents), shop.currency)
                : attributeName === "number_of_orders"
                  ? (c: CustomerRecord) => store.orders.statsOf(c.index).count
                  : null;
            if (!read)
              throw new GraphQLError(`The sandbox keeps statistics of amount_spent and number_of_orders only`, {
                extensions: { code: "SANDBOX_NOT_IMPLEMENTED" },
              });
            const values = members().map(read);
            const sum = values.reduce((a, b) => a + b, 0);
            return { sum, average: values.length ? sum / values.length : 0 };
          },
        },
      };
    },
    customerSegmentMembership: ({ customerId, segmentIds }: { customerId: string; segmentIds: string[] }) => {
      const customer = store.customers.findById(parseGid(customerId)?.id ?? "");
      return {
        memberships: segmentIds.map((segmentId) => {
          const segment = store.segments.find((s) => s.id === parseGid(segmentId)?.id);
          return {
            segmentId,
            isMember: Boolean(customer && segment && ops.segments.isMember(shop, segment, customer)),
          };
        }),
      };
    },
  };
};

export const segmentMutations = (ctx: AdminContext) => {
  const { shop, ops } = ctx;
  return {
    segmentCreate: ({ name, query }: { name: string; query: string }) => {
      try {
        return { segment: segmentView(ops.segments.create(shop, name, query)), userErrors: [] };
      } catch (error) {
        return { segment: null, userErrors: userErrors(error) };
      }
    },
    segmentUpdate: ({ id, name, query }: { id: string; name?: string | null; query?: string | null }) => {
      try {
        const segment = ops.segments.update(shop, parseGid(id)?.id ?? "", { name, query });
        return { segment: segmentView(segment), userErrors: [] };
      } catch (error) {
        return { segment: null, userErrors: userErrors(error) };
      }
    },
    segmentDelete: ({ id }: { id: string }) => {
      try {
        const segment = ops.segments.delete(shop, parseGid(id)?.id ?? "");
        return { deletedSegmentId: gid("Segment", segment.id), userErrors: [] };
      } catch (error) {
        return { deletedSegmentId: null, userErrors: userErrors(error) };
      }
    },
  };
};
