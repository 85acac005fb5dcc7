import { GraphqlQueryError } from "@shopify/shopify-api";
import {
  isAutomaticDiscount,
  segmentNameErrorWords,
  segmentQueryErrorWords,
  type GroupMemberCount,
} from "~/domain/groups";
import { DomainError, formatMinor, toMinor, type CurrencyCode } from "~/domain/shared";
import { log } from "~/lib/log.server";
import type { GroupShopify } from "~/services/groups/customer-groups.server";
import type { TallyGroupCountFragment, TallyGroupSegmentFragment } from "~/types/admin.generated";
import {
  adminRequest,
  adminRequestBuilt,
  isAccessDenied,
  ShopifyUserErrors,
  type AdminGraphql,
  type ShopifyUserError,
} from "./graphql.server";

// A group is a Shopify segment; its discount a code or an automatic discount whose context is the segment (decisions
// 029, 032).

const SEGMENT_CREATE = `#graphql
  mutation TallyGroupSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;

// Name and query are sent only when they change: an argument left out is one Shopify leaves as it is.
const SEGMENT_UPDATE = `#graphql
  mutation TallyGroupSegmentUpdate($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;

const SEGMENT_DELETE = `#graphql
  mutation TallyGroupSegmentDelete($id: ID!) {
    segmentDelete(id: $id) {
      deletedSegmentId
      userErrors { field message }
    }
  }
`;

const SEGMENT_MEMBERS = `#graphql
  query TallyGroupMembers($segmentId: ID!, $after: String) {
    customerSegmentMembers(segmentId: $segmentId, first: 50, after: $after) {
      totalCount
      edges { node { id displayName defaultEmailAddress { emailAddress } numberOfOrders } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const SEGMENT_EXISTS = `#graphql
  query TallyGroupSegmentExists($id: ID!) {
    segment(id: $id) { id }
  }
`;

// Whether a group's discount is still in Shopify (either kind: DiscountCodeNode and DiscountAutomaticNode are Nodes).
const DISCOUNT_EXISTS = `#graphql
  query TallyGroupDiscountExists($id: ID!) {
    node(id: $id) { id }
  }
`;

// A group's count and whether its segment is still there, asked once per group under aliases (`groupCountsDocument`).
const GROUP_COUNT = `#graphql
  fragment TallyGroupCount on CustomerSegmentMemberConnection { totalCount }
`;
const GROUP_SEGMENT = `#graphql
  fragment TallyGroupSegment on Segment { id }
`;

/**
 * Groups counted in one request. Each costs Shopify 4 points (a connection of `first: 1`, 2 + 1; the segment, 1), so
 * 100 make 400 of the 1,000 a single query may cost (shopify.dev, "GraphQL Admin API rate limits"); a shop has tens.
 */
export const GROUPS_PER_COUNT_REQUEST = 100;

/**
 * The document that counts several segments' members in one request: for slot i, `e{i}` the segment (null once it is
 * deleted in Shopify admin) and, when `counted[i]`, `c{i}` its members' totalCount, both of the segment in `$s{i}`.
 * `customerSegmentMembers` is non-null on 2026-10, so one segment Shopify cannot count nulls the whole answer; a slot
 * asked again uncounted learns from the nullable `segment` whether it is gone.
 */
export function groupCountsDocument(counted: readonly boolean[]): string {
  const slots = counted.map(
    (count, i) =>
      `  e${i}: segment(id: $s${i}) { ...TallyGroupSegment }` +
      (count ? `\n  c${i}: customerSegmentMembers(segmentId: $s${i}, first: 1) { ...TallyGroupCount }` : ""),
  );
  const variables = counted.map((_, i) => `$s${i}: ID!`).join(", ");
  // GraphQL refuses a fragment no field spreads: the count's goes only with a count.
  const fragments = counted.some(Boolean) ? [GROUP_COUNT, GROUP_SEGMENT] : [GROUP_SEGMENT];
  return [`query TallyGroupCounts(${variables}) {`, ...slots, "}", ...fragments].join("\n");
}

/** Rounds of asking again without the segments Shopify could not count (each failure nulls the rest's counts). */
const COUNT_ROUNDS = 3;

/** One request's groups counted: see `GroupShopify.memberCounts`. */
async function countSegments(graphql: AdminGraphql, segmentGids: string[]): Promise<GroupMemberCount[]> {
  const counted = segmentGids.map(() => true);
  const variables = Object.fromEntries(segmentGids.map((gid, i) => [`s${i}`, gid]));
  for (let round = 1; round <= COUNT_ROUNDS; round++) {
    const { data, errors } = await adminRequestBuilt(graphql, groupCountsDocument(counted), { variables });
    const failed = new Set(errors.map((error) => error.path?.[0]).filter((key) => typeof key === "string"));
    if (data) {
      return segmentGids.map((_, i): GroupMemberCount => {
        const segment = data[`e${i}`] as TallyGroupSegmentFragment | null | undefined;
        const members = data[`c${i}`] as TallyGroupCountFragment | null | undefined;
        if (segment === null && !failed.has(`e${i}`)) return { state: "deleted" };
        if (counted[i] && members && !failed.has(`c${i}`)) return { state: "counted", count: members.totalCount };
        return { state: "unavailable" };
      });
    }
    const uncountable = counted.flatMap((count, i) => (count && failed.has(`c${i}`) ? [i] : []));
    // An error that names no count (the whole document refused) leaves nothing to ask again without.
    if (!uncountable.length) break;
    for (const i of uncountable) counted[i] = false;
  }
  return segmentGids.map(() => ({ state: "unavailable" }));
}

const GROUP_DISCOUNT_CREATE = `#graphql
  mutation TallyGroupDiscountCreate($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

const GROUP_DISCOUNT_DELETE = `#graphql
  mutation TallyGroupDiscountDelete($id: ID!) {
    discountCodeDelete(id: $id) {
      deletedCodeDiscountId
      userErrors { field message code }
    }
  }
`;

const GROUP_AUTOMATIC_DISCOUNT_CREATE = `#graphql
  mutation TallyGroupAutomaticDiscountCreate($discount: DiscountAutomaticBasicInput!) {
    discountAutomaticBasicCreate(automaticBasicDiscount: $discount) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

const GROUP_AUTOMATIC_DISCOUNT_DELETE = `#graphql
  mutation TallyGroupAutomaticDiscountDelete($id: ID!) {
    discountAutomaticDelete(id: $id) {
      deletedAutomaticDiscountId
      userErrors { field message code }
    }
  }
`;

// The code discount holding a code, read to tell whether it is a group's own (its title and segment) and what it gives:
// Shopify refuses a second submit's code as taken once the first's was created.
const GROUP_DISCOUNT_BY_CODE = `#graphql
  query TallyGroupDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          title
          endsAt
          context { ... on DiscountCustomerSegments { segments { id } } }
          customerGets {
            value {
              ... on DiscountPercentage { percentage }
              ... on DiscountAmount { amount { amount currencyCode } }
            }
          }
        }
      }
    }
  }
`;

// A group discount's title, either kind, to tell the one Tally gave it from one the merchant wrote in Shopify admin.
const GROUP_DISCOUNT_TITLE = `#graphql
  query TallyGroupDiscountTitle($id: ID!) {
    node(id: $id) {
      ... on DiscountCodeNode { codeDiscount { ... on DiscountCodeBasic { title } } }
      ... on DiscountAutomaticNode { automaticDiscount { ... on DiscountAutomaticBasic { title } } }
    }
  }
`;

// Only the title is sent: an input field left out is one Shopify leaves as it is.
const GROUP_DISCOUNT_RETITLE = `#graphql
  mutation TallyGroupDiscountRetitle($id: ID!, $discount: DiscountCodeBasicInput!) {
    discountCodeBasicUpdate(id: $id, basicCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

const GROUP_AUTOMATIC_DISCOUNT_RETITLE = `#graphql
  mutation TallyGroupAutomaticDiscountRetitle($id: ID!, $discount: DiscountAutomaticBasicInput!) {
    discountAutomaticBasicUpdate(id: $id, automaticBasicDiscount: $discount) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

/** Shopify's input names for what the discount form calls otherwise. */
const discountFormField: Record<string, string> = { endsAt: "endsOn", percentage: "value", amount: "value" };

/** Shopify's refusal on the form field it names (the last segment of its path that is one), else on `fallback`. */
function refused(
  operation: string,
  userErrors: readonly ShopifyUserError[],
  fields: string[],
  fallback: string,
): never {
  const fieldErrors: Record<string, string[]> = {};
  for (const error of userErrors) {
    const named = [...(error.field ?? [])].reverse().find((segment) => fields.includes(segment)) ?? fallback;
    (fieldErrors[discountFormField[named] ?? named] ??= []).push(error.message);
  }
  throw new ShopifyUserErrors(operation, userErrors, fieldErrors);
}

/**
 * Shopify's refusals of a segment (segmentCreate, segmentUpdate) said in words: a query it cannot read, its "Line 1
 * Column 0: …" kept at the end; a `name` another segment has, with that name and what to do.
 */
function segmentUserErrorsInWords(userErrors: readonly ShopifyUserError[], name?: string): ShopifyUserError[] {
  return userErrors.map((error) =>
    error.field?.includes("query")
      ? { ...error, message: segmentQueryErrorWords(error.message) }
      : error.field?.includes("name") && name !== undefined
        ? { ...error, message: segmentNameErrorWords(error.message, name) }
        : error,
  );
}

/** discountCodeBasicUpdate or discountAutomaticBasicUpdate (by the id's type) with only the title: see `retitleDiscount`. */
async function retitle(graphql: AdminGraphql, discountGid: string, title: string): Promise<void> {
  const variables = { id: discountGid, discount: { title } };
  if (isAutomaticDiscount(discountGid)) {
    const { discountAutomaticBasicUpdate: automatic } = await adminRequest(graphql, GROUP_AUTOMATIC_DISCOUNT_RETITLE, {
      variables,
    });
    if (!automatic?.automaticDiscountNode || automatic.userErrors.length)
      refused("discountAutomaticBasicUpdate", automatic?.userErrors ?? [], ["title"], "title");
    return;
  }
  const { discountCodeBasicUpdate: answer } = await adminRequest(graphql, GROUP_DISCOUNT_RETITLE, { variables });
  if (!answer?.codeDiscountNode || answer.userErrors.length)
    refused("discountCodeBasicUpdate", answer?.userErrors ?? [], ["title"], "title");
}

/** Shopify's fraction (0.15) as the whole percent the form asks for (15); one that is not whole stays as it is. */
function wholePercent(fraction: number): number {
  const percent = fraction * 100;
  return Math.abs(percent - Math.round(percent)) < 1e-9 ? Math.round(percent) : percent;
}

/** Customer groups in Shopify: segments, their members, and group discounts. */
export function shopifyGroups(graphql: AdminGraphql): GroupShopify {
  return {
    async createSegment(name, query) {
      const { segmentCreate } = await adminRequest(graphql, SEGMENT_CREATE, { variables: { name, query } });
      if (!segmentCreate?.segment || segmentCreate.userErrors.length)
        refused(
          "segmentCreate",
          segmentUserErrorsInWords(segmentCreate?.userErrors ?? [], name),
          ["name", "query"],
          "name",
        );
      return { segmentGid: segmentCreate.segment.id };
    },
    async updateSegment(segmentGid, change) {
      const { segmentUpdate } = await adminRequest(graphql, SEGMENT_UPDATE, {
        variables: { id: segmentGid, name: change.name, query: change.query },
      });
      if (!segmentUpdate?.segment || segmentUpdate.userErrors.length)
        refused(
          "segmentUpdate",
          segmentUserErrorsInWords(segmentUpdate?.userErrors ?? [], change.name),
          ["name", "query"],
          "name",
        );
    },
    async deleteSegment(segmentGid) {
      const { segmentDelete } = await adminRequest(graphql, SEGMENT_DELETE, { variables: { id: segmentGid } });
      if (!segmentDelete?.userErrors.length) return;
      // Deleted in Shopify admin already: what removing it asks is done (a refusal left the group unremovable).
      const { segment } = await adminRequest(graphql, SEGMENT_EXISTS, { variables: { id: segmentGid } });
      if (segment) refused("segmentDelete", segmentDelete.userErrors, [], "name");
    },
    async segmentExists(segmentGid) {
      const { segment } = await adminRequest(graphql, SEGMENT_EXISTS, { variables: { id: segmentGid } });
      return segment !== null && segment !== undefined;
    },
    async discountExists(discountGid) {
      const { node } = await adminRequest(graphql, DISCOUNT_EXISTS, { variables: { id: discountGid } });
      return node !== null && node !== undefined;
    },
    async members(segmentGid, after) {
      let page;
      try {
        ({ customerSegmentMembers: page } = await adminRequest(graphql, SEGMENT_MEMBERS, {
          variables: { segmentId: segmentGid, after: after ?? null },
        }));
      } catch (error) {
        // A segment deleted in Shopify admin fails the members read; the nullable `segment` tells that from an outage.
        if (!(error instanceof GraphqlQueryError)) throw error;
        const { segment } = await adminRequest(graphql, SEGMENT_EXISTS, { variables: { id: segmentGid } });
        if (segment) throw error;
        return null;
      }
      return {
        totalCount: page.totalCount,
        members: page.edges.map(({ node }) => ({
          // A member's id is CustomerSegmentMember/<customer id>; the customer's is Customer/<same id>.
          customerGid: node.id.replace("/CustomerSegmentMember/", "/Customer/"),
          name: node.displayName,
          email: node.defaultEmailAddress?.emailAddress ?? null,
          ordersCount: Number(node.numberOfOrders),
        })),
        nextCursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
      };
    },
    async memberCounts(segmentGids) {
      const unique = [...new Set(segmentGids)];
      const counts = new Map<string, GroupMemberCount>();
      for (let start = 0; start < unique.length; start += GROUPS_PER_COUNT_REQUEST) {
        const chunk = unique.slice(start, start + GROUPS_PER_COUNT_REQUEST);
        let answers: GroupMemberCount[];
        try {
          answers = await countSegments(graphql, chunk);
        } catch (error) {
          log.warn({ err: error, segments: chunk.length }, "Counting groups' members failed");
          answers = chunk.map(() => ({ state: "unavailable" }));
        }
        chunk.forEach((gid, i) => counts.set(gid, answers[i]!));
      }
      return counts;
    },
    async createDiscount(discount) {
      const value =
        discount.kind === "percentage"
          ? { percentage: discount.value / 100 }
          : {
              discountAmount: {
                amount: formatMinor(discount.value, discount.currency as CurrencyCode),
                appliesOnEachItem: false,
              },
            };
      const common = {
        title: discount.title,
        startsAt: discount.startsAt,
        endsAt: discount.endsAt,
        context: { customerSegments: { add: [discount.segmentGid] } },
        customerGets: { value, items: { all: true } },
      };
      if (discount.code === null) {
        const { discountAutomaticBasicCreate: automatic } = await adminRequest(
          graphql,
          GROUP_AUTOMATIC_DISCOUNT_CREATE,
          { variables: { discount: common } },
        );
        if (!automatic?.automaticDiscountNode || automatic.userErrors.length)
          refused(
            "discountAutomaticBasicCreate",
            automatic?.userErrors ?? [],
            ["endsAt", "percentage", "amount", "title"],
            "value",
          );
        return { discountGid: automatic.automaticDiscountNode.id };
      }
      const { discountCodeBasicCreate: answer } = await adminRequest(graphql, GROUP_DISCOUNT_CREATE, {
        variables: { discount: { ...common, code: discount.code } },
      });
      if (!answer?.codeDiscountNode || answer.userErrors.length)
        refused(
          "discountCodeBasicCreate",
          answer?.userErrors ?? [],
          ["code", "endsAt", "percentage", "amount"],
          "code",
        );
      return { discountGid: answer.codeDiscountNode.id };
    },
    async codeDiscountByCode(code) {
      const { codeDiscountNodeByCode: node } = await adminRequest(graphql, GROUP_DISCOUNT_BY_CODE, {
        variables: { code },
      });
      const discount = node?.codeDiscount;
      if (!node || !discount || !("title" in discount)) return null;
      const value = discount.customerGets.value;
      const terms =
        "percentage" in value
          ? { kind: "percentage" as const, value: wholePercent(value.percentage), currency: null }
          : "amount" in value
            ? {
                kind: "amount" as const,
                value: toMinor(value.amount.amount, value.amount.currencyCode as CurrencyCode),
                currency: value.amount.currencyCode,
              }
            : null;
      if (!terms) return null;
      return {
        discountGid: node.id,
        title: discount.title,
        segmentGids: "segments" in discount.context ? discount.context.segments.map((segment) => segment.id) : [],
        code,
        ...terms,
        endsAt: discount.endsAt ?? null,
      };
    },
    async discountTitle(discountGid) {
      const { node } = await adminRequest(graphql, GROUP_DISCOUNT_TITLE, { variables: { id: discountGid } });
      if (!node) return null;
      const discount =
        "codeDiscount" in node ? node.codeDiscount : "automaticDiscount" in node ? node.automaticDiscount : null;
      return discount && "title" in discount ? discount.title : null;
    },
    async retitleDiscount(discountGid, title) {
      try {
        await retitle(graphql, discountGid, title);
      } catch (error) {
        // A merchant who took back write_discounts: said as the refusal it is, not as an outage.
        if (!isAccessDenied(error)) throw error;
        throw new DomainError(
          "shopify_refused",
          "Shopify refused the change: Tally is not allowed to change this store's discounts (write_discounts access)",
          { operation: isAutomaticDiscount(discountGid) ? "discountAutomaticBasicUpdate" : "discountCodeBasicUpdate" },
        );
      }
    },
    async deleteDiscount(discountGid) {
      // A discount deleted in Shopify admin already is not a refusal: removing it is done.
      const refusedUnlessGone = async (...args: Parameters<typeof refused>) => {
        const { node } = await adminRequest(graphql, DISCOUNT_EXISTS, { variables: { id: discountGid } });
        if (node) refused(...args);
      };
      if (isAutomaticDiscount(discountGid)) {
        const { discountAutomaticDelete: automatic } = await adminRequest(graphql, GROUP_AUTOMATIC_DISCOUNT_DELETE, {
          variables: { id: discountGid },
        });
        if (automatic?.userErrors.length)
          await refusedUnlessGone("discountAutomaticDelete", automatic.userErrors, [], "value");
        return;
      }
      const { discountCodeDelete: answer } = await adminRequest(graphql, GROUP_DISCOUNT_DELETE, {
        variables: { id: discountGid },
      });
      if (answer?.userErrors.length) await refusedUnlessGone("discountCodeDelete", answer.userErrors, [], "code");
    },
  };
}
