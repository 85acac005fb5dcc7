import { segmentQueryErrorWords } from "~/domain/groups";
import { formatMinor, type CurrencyCode } from "~/domain/shared";
import { isAutomaticDiscount } from "~/domain/groups";
import type { GroupShopify } from "~/services/groups/customer-groups.server";
import { adminRequest, ShopifyUserErrors, type AdminGraphql, type ShopifyUserError } from "./graphql.server";

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

/** Customer groups in Shopify: segments, their members, and group discounts. */
export function shopifyGroups(graphql: AdminGraphql): GroupShopify {
  return {
    async createSegment(name, query) {
      const { segmentCreate } = await adminRequest(graphql, SEGMENT_CREATE, { variables: { name, query } });
      if (!segmentCreate?.segment || segmentCreate.userErrors.length)
        refused(
          "segmentCreate",
          // A query Shopify cannot read is said in words, its "Line 1 Column 0: …" kept at the end.
          (segmentCreate?.userErrors ?? []).map((error) =>
            error.field?.includes("query") ? { ...error, message: segmentQueryErrorWords(error.message) } : error,
          ),
          ["name", "query"],
          "name",
        );
      return { segmentGid: segmentCreate.segment.id };
    },
    async deleteSegment(segmentGid) {
      const { segmentDelete } = await adminRequest(graphql, SEGMENT_DELETE, { variables: { id: segmentGid } });
      if (segmentDelete?.userErrors.length) refused("segmentDelete", segmentDelete.userErrors, [], "name");
    },
    async members(segmentGid, after) {
      const { customerSegmentMembers: page } = await adminRequest(graphql, SEGMENT_MEMBERS, {
        variables: { segmentId: segmentGid, after: after ?? null },
      });
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
    async deleteDiscount(discountGid) {
      if (isAutomaticDiscount(discountGid)) {
        const { discountAutomaticDelete: automatic } = await adminRequest(graphql, GROUP_AUTOMATIC_DISCOUNT_DELETE, {
          variables: { id: discountGid },
        });
        if (automatic?.userErrors.length) refused("discountAutomaticDelete", automatic.userErrors, [], "value");
        return;
      }
      const { discountCodeDelete: answer } = await adminRequest(graphql, GROUP_DISCOUNT_DELETE, {
        variables: { id: discountGid },
      });
      if (answer?.userErrors.length) refused("discountCodeDelete", answer.userErrors, [], "code");
    },
  };
}
