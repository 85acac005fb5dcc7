import { describe, expect, it } from "vitest";
import { useSandboxWithClient } from "../helpers/sandbox-with-client";
import { Shopper } from "../helpers/shopper";

const { sandbox, app, installedShop } = useSandboxWithClient();

const BASIC = `mutation B($d: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $d) { codeDiscountNode { id } userErrors { field message code } }
}`;
const FREE_SHIPPING = `mutation F($d: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: $d) { codeDiscountNode { id } userErrors { field message code } }
}`;
const BY_CODE = `query ByCode($code: String!) {
  codeDiscountNodeByCode(code: $code) {
    id
    codeDiscount {
      __typename
      ... on DiscountCodeBasic {
        title status usageLimit appliesOncePerCustomer asyncUsageCount startsAt endsAt summary
        totalSales { amount }
        minimumRequirement { ... on DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal { amount currencyCode } } }
        context {
          __typename
          ... on DiscountCustomers { customers { id } }
          ... on DiscountCustomerSegments { segments { id name } }
        }
        customerGets { value { __typename ... on DiscountAmount { amount { amount } } ... on DiscountPercentage { percentage } } }
        codes(first: 1) { nodes { code asyncUsageCount } }
      }
      ... on DiscountCodeFreeShipping { title status asyncUsageCount maximumShippingPrice { amount } }
    }
  }
}`;

const code = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe("sandbox discount codes", () => {
  it("creates amount-off, percentage and free-shipping codes with every option the app sets, read back by code", async () => {
    const { shop, gql } = await installedShop();
    const friend = sandbox().control.createCustomerAccount({ shop, email: "friend@example.com" });
    const friendGid = `gid://shopify/Customer/${friend.id}`;
    const fixed = code("FRIEND");
    const created = await gql(BASIC, {
      d: {
        title: "Friend reward",
        code: fixed,
        startsAt: new Date().toISOString(),
        endsAt: inAnHour(),
        usageLimit: 1,
        appliesOncePerCustomer: true,
        minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "40.00" } },
        context: { customers: { add: [friendGid] } },
        customerGets: {
          value: { discountAmount: { amount: "10.00", appliesOnEachItem: false } },
          items: { all: true },
        },
      },
    });
    expect(created.data.discountCodeBasicCreate.userErrors).toEqual([]);
    const read = await gql(BY_CODE, { code: fixed.toLowerCase() });
    expect(read.data.codeDiscountNodeByCode).toMatchObject({
      id: created.data.discountCodeBasicCreate.codeDiscountNode.id,
      codeDiscount: {
        __typename: "DiscountCodeBasic",
        title: "Friend reward",
        status: "ACTIVE",
        usageLimit: 1,
        appliesOncePerCustomer: true,
        asyncUsageCount: 0,
        minimumRequirement: { greaterThanOrEqualToSubtotal: { amount: "40.0", currencyCode: "CAD" } },
        context: { __typename: "DiscountCustomers", customers: [{ id: friendGid }] },
        customerGets: { value: { __typename: "DiscountAmount", amount: { amount: "10.0" } } },
        codes: { nodes: [{ code: fixed, asyncUsageCount: 0 }] },
      },
    });

    const percent = code("TEN");
    await gql(BASIC, {
      d: {
        title: "Ten percent",
        code: percent,
        context: { all: "ALL" },
        customerGets: { value: { percentage: 0.1 }, items: { all: true } },
      },
    });
    const shipping = code("SHIP");
    const free = await gql(FREE_SHIPPING, {
      d: {
        title: "Free shipping reward",
        code: shipping,
        context: { all: "ALL" },
        maximumShippingPrice: "15.00",
        usageLimit: 1,
      },
    });
    expect(free.data.discountCodeFreeShippingCreate.userErrors).toEqual([]);
    expect((await gql(BY_CODE, { code: shipping })).data.codeDiscountNodeByCode.codeDiscount).toEqual({
      __typename: "DiscountCodeFreeShipping",
      title: "Free shipping reward",
      status: "ACTIVE",
      asyncUsageCount: 0,
      maximumShippingPrice: { amount: "15.0" },
    });
    expect((await gql(BY_CODE, { code: "NO-SUCH-CODE" })).data.codeDiscountNodeByCode).toBeNull();
    await sandbox().control.idle();
    expect(app().of("discounts/create")).toEqual([
      expect.objectContaining({ title: "Friend reward", status: "ACTIVE" }),
      expect.objectContaining({ title: "Ten percent" }),
      expect.objectContaining({ title: "Free shipping reward" }),
    ]);
  });

  it("refuses a code Shopify refuses, on the fields it names", async () => {
    const { shop, gql } = await installedShop();
    sandbox().control.createDiscountCode({ shop, code: "TAKEN10", percentage: 0.1 });
    const errorsOf = async (d: Record<string, unknown>) =>
      (await gql(BASIC, { d })).data.discountCodeBasicCreate.userErrors as { field: string[]; code: string }[];
    const base = {
      title: "Reward",
      code: "FRESH",
      context: { all: "ALL" },
      customerGets: { value: { percentage: 0.2 }, items: { all: true } },
    };
    expect(await errorsOf({ ...base, code: "taken10" })).toEqual([
      {
        field: ["basicCodeDiscount", "code"],
        message: "Code must be unique. Please try a different code.",
        code: "TAKEN",
      },
    ]);
    expect(await errorsOf({ ...base, title: "", code: "" })).toEqual([
      { field: ["basicCodeDiscount", "code"], message: "Code can't be blank", code: "BLANK" },
      { field: ["basicCodeDiscount", "title"], message: "Title can't be blank", code: "BLANK" },
    ]);
    expect((await errorsOf({ ...base, context: undefined })).map((e) => e.field)).toEqual([
      ["basicCodeDiscount", "context"],
    ]);
    expect((await errorsOf({ ...base, customerGets: { value: { percentage: 1.5 } } })).map((e) => e.code)).toEqual([
      "VALUE_OUTSIDE_RANGE",
    ]);
    expect(
      (await errorsOf({ ...base, startsAt: inAnHour(), endsAt: new Date().toISOString() })).map((e) => e.code),
    ).toEqual(["END_DATE_BEFORE_START_DATE"]);
    expect(
      (await errorsOf({ ...base, context: { customers: { add: ["gid://shopify/Customer/1"] } } })).map((e) => e.field),
    ).toEqual([["basicCodeDiscount", "context", "customers", "add", "0"]]);
    expect(
      sandbox()
        .control.discountCodes({ shop })
        .map((d) => d.code),
    ).toEqual(["TAKEN10"]);
  });

  it("updates a code's or an automatic discount's given fields only (discount*BasicUpdate), refusing as creating refuses, all or nothing", async () => {
    const { shop, gql } = await installedShop();
    sandbox().control.createDiscountCode({ shop, code: "TAKEN10", percentage: 0.1 });
    const mine = code("MINE");
    const created = await gql(BASIC, {
      d: {
        title: "Reward",
        code: mine,
        context: { all: "ALL" },
        customerGets: { value: { percentage: 0.2 }, items: { all: true } },
      },
    });
    const id = created.data.discountCodeBasicCreate.codeDiscountNode.id as string;
    const UPDATE = `mutation U($id: ID!, $d: DiscountCodeBasicInput!) {
      discountCodeBasicUpdate(id: $id, basicCodeDiscount: $d) {
        codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title } } }
        userErrors { field message code }
      }
    }`;
    const update = async (d: Record<string, unknown>, on = id) =>
      (await gql(UPDATE, { id: on, d })).data.discountCodeBasicUpdate;
    expect(await update({ title: "Gold group discount" })).toEqual({
      codeDiscountNode: { id, codeDiscount: { title: "Gold group discount" } },
      userErrors: [],
    });
    const read = async () => (await gql(BY_CODE, { code: mine })).data.codeDiscountNodeByCode.codeDiscount;
    expect(await read()).toMatchObject({
      title: "Gold group discount",
      customerGets: { value: { percentage: 0.2 } },
      codes: { nodes: [{ code: mine }] },
    });
    expect(app().received.filter((r) => r.topic === "discounts/update")).toHaveLength(1);

    // A blank title with a code another discount has: both refused, neither applied.
    expect(await update({ title: " ", code: "taken10" })).toEqual({
      codeDiscountNode: null,
      userErrors: [
        { field: ["basicCodeDiscount", "title"], message: "Title can't be blank", code: "BLANK" },
        {
          field: ["basicCodeDiscount", "code"],
          message: "Code must be unique. Please try a different code.",
          code: "TAKEN",
        },
      ],
    });
    expect(
      (await update({ customerGets: { value: { percentage: 1.5 } } })).userErrors.map((e: { code: string }) => e.code),
    ).toEqual(["VALUE_OUTSIDE_RANGE"]);
    expect(await update({ title: "Nobody's" }, "gid://shopify/DiscountCodeNode/999999")).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }],
    });
    expect(await read()).toMatchObject({ title: "Gold group discount", customerGets: { value: { percentage: 0.2 } } });

    const automatic = await gql(
      `mutation A($d: DiscountAutomaticBasicInput!) {
        discountAutomaticBasicCreate(automaticBasicDiscount: $d) { automaticDiscountNode { id } userErrors { message } }
      }`,
      { d: { title: "VIPs group discount", customerGets: { value: { percentage: 0.1 }, items: { all: true } } } },
    );
    const automaticId = automatic.data.discountAutomaticBasicCreate.automaticDiscountNode.id as string;
    const AUTOMATIC_UPDATE = `mutation U($id: ID!, $d: DiscountAutomaticBasicInput!) {
      discountAutomaticBasicUpdate(id: $id, automaticBasicDiscount: $d) {
        automaticDiscountNode { automaticDiscount { ... on DiscountAutomaticBasic { title summary } } }
        userErrors { field message code }
      }
    }`;
    expect((await gql(AUTOMATIC_UPDATE, { id: automaticId, d: { title: "Gold group discount" } })).data).toEqual({
      discountAutomaticBasicUpdate: {
        automaticDiscountNode: { automaticDiscount: { title: "Gold group discount", summary: "10% off entire order" } },
        userErrors: [],
      },
    });
    // A code discount's id is not an automatic discount's.
    expect(
      (await gql(AUTOMATIC_UPDATE, { id, d: { title: "x" } })).data.discountAutomaticBasicUpdate.userErrors,
    ).toEqual([{ field: ["id"], message: "Discount does not exist", code: "INVALID" }]);
  });

  it("refuses a code alike when creating and when updating: blank, too long, two lines, another discount's; an update keeps its own", async () => {
    const { shop, gql } = await installedShop();
    sandbox().control.createDiscountCode({ shop, code: "TAKEN10", percentage: 0.1 });
    const base = {
      title: "Reward",
      context: { all: "ALL" },
      customerGets: { value: { percentage: 0.2 }, items: { all: true } },
    };
    const created = await gql(BASIC, { d: { ...base, code: "MINE10" } });
    const id = created.data.discountCodeBasicCreate.codeDiscountNode.id as string;
    const UPDATE = `mutation U($id: ID!, $d: DiscountCodeBasicInput!) {
      discountCodeBasicUpdate(id: $id, basicCodeDiscount: $d) { userErrors { field message code } }
    }`;
    const refusals = async (code: string) => [
      (await gql(BASIC, { d: { ...base, code } })).data.discountCodeBasicCreate.userErrors,
      (await gql(UPDATE, { id, d: { code } })).data.discountCodeBasicUpdate.userErrors,
    ];
    for (const [code, message, errorCode] of [
      [" ", "Code can't be blank", "BLANK"],
      ["X".repeat(256), "Code is too long (maximum is 255 characters)", "TOO_LONG"],
      ["TWO\nLINES", "Code cannot contain newline characters.", "INVALID"],
      ["taken10", "Code must be unique. Please try a different code.", "TAKEN"],
    ]) {
      const refusal = [{ field: ["basicCodeDiscount", "code"], message, code: errorCode }];
      expect(await refusals(code!)).toEqual([refusal, refusal]);
    }
    expect((await gql(UPDATE, { id, d: { code: "mine10" } })).data.discountCodeBasicUpdate.userErrors).toEqual([]);
    expect(
      sandbox()
        .control.discountCodes({ shop })
        .map((d) => d.code),
    ).toEqual(["TAKEN10", "mine10"]);
    // Its discounts/update delivered here, not into the next case's webhooks.
    await sandbox().control.idle();
  });

  it("applies a code at checkout only as its rules allow, counts each use, and records it on the order", async () => {
    const { shop, gql } = await installedShop();
    const ana = sandbox().control.createCustomerAccount({ shop, email: "ana@example.com" });
    const bo = sandbox().control.createCustomerAccount({ shop, email: "bo@example.com" });
    const once = code("ONCE");
    await gql(BASIC, {
      d: {
        title: "Once each",
        code: once,
        appliesOncePerCustomer: true,
        minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "50.00" } },
        context: { all: "ALL" },
        customerGets: { value: { percentage: 0.25 }, items: { all: true } },
      },
    });
    const order = (customerId: string, discountCode: string, productIndex = 0) => {
      try {
        return sandbox().control.placeOrder({ shop, customerId, discountCode, lines: [{ productIndex, quantity: 1 }] });
      } catch (error) {
        return (error as Error).message;
      }
    };
    // Product 3 is an 18.00 mug: under the 50.00 minimum. Product 0 is 89.99 sunglasses.
    expect(order(ana.id, once, 3)).toBe("The discount code isn't valid for the items in your cart");
    const first = order(ana.id, once);
    expect(first).toMatchObject({ discountCents: 2250, discountCodes: [{ code: once, amountCents: 2250 }] });
    expect(order(ana.id, once)).toBe("This discount has reached its usage limit");
    expect(order(bo.id, once)).toMatchObject({ discountCents: 2250 });
    expect(order(bo.id, "NOT-A-CODE")).toBe("Enter a valid discount code");
    const counted = await gql(BY_CODE, { code: once });
    expect(counted.data.codeDiscountNodeByCode.codeDiscount).toMatchObject({
      asyncUsageCount: 2,
      codes: { nodes: [{ asyncUsageCount: 2 }] },
    });

    const single = code("SINGLE");
    const singleNode = await gql(BASIC, {
      d: {
        title: "One use",
        code: single,
        usageLimit: 1,
        context: { customers: { add: [`gid://shopify/Customer/${ana.id}`] } },
        customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
      },
    });
    expect(order(bo.id, single)).toBe("The discount code isn't available to you right now");
    expect(order(ana.id, single)).toMatchObject({ discountCents: 500 });
    expect(order(ana.id, single)).toBe("This discount has reached its usage limit");

    const later = code("LATER");
    await gql(BASIC, {
      d: {
        title: "Not yet",
        code: later,
        startsAt: inAnHour(),
        context: { all: "ALL" },
        customerGets: { value: { percentage: 0.1 }, items: { all: true } },
      },
    });
    expect(order(ana.id, later)).toBe("Enter a valid discount code");

    await sandbox().control.idle();
    const firstGid = `gid://shopify/Order/${typeof first === "object" ? first.id : ""}`;
    const paid = app()
      .of("orders/paid")
      .find((o) => o.admin_graphql_api_id === firstGid);
    expect(paid).toMatchObject({
      discount_codes: [{ code: once, amount: "22.50", type: "percentage" }],
      discount_applications: [
        expect.objectContaining({ type: "discount_code", code: once, value: "25.0", value_type: "percentage" }),
      ],
      total_discounts: "22.50",
    });

    const nodeId = singleNode.data.discountCodeBasicCreate.codeDiscountNode.id as string;
    const deactivated = await gql(
      `mutation D($id: ID!) { discountCodeDeactivate(id: $id) { codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { status } } } userErrors { message } } }`,
      { id: nodeId },
    );
    expect(deactivated.data.discountCodeDeactivate).toEqual({
      codeDiscountNode: { codeDiscount: { status: "EXPIRED" } },
      userErrors: [],
    });
    const deleted = await gql(
      `mutation X($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { field message } } }`,
      { id: nodeId },
    );
    expect(deleted.data.discountCodeDelete).toEqual({ deletedCodeDiscountId: nodeId, userErrors: [] });
    expect((await gql(BY_CODE, { code: single })).data.codeDiscountNodeByCode).toBeNull();
    await sandbox().control.idle();
    expect(app().of("discounts/update")).toEqual([
      expect.objectContaining({ admin_graphql_api_id: nodeId, status: "EXPIRED" }),
    ]);
    expect(app().of("discounts/delete")).toEqual([expect.objectContaining({ admin_graphql_api_id: nodeId })]);
  });

  it("takes the shipping off with a free-shipping code, under its maximum, and refunds only what was paid", async () => {
    const { shop, gql } = await installedShop();
    const shopper = sandbox().control.createCustomerAccount({ shop, email: "ship@example.com" });
    const free = code("FREESHIP");
    await gql(FREE_SHIPPING, {
      d: { title: "Free shipping", code: free, context: { all: "ALL" }, maximumShippingPrice: "15.00" },
    });
    const order = sandbox().control.placeOrder({
      shop,
      customerId: shopper.id,
      lines: [{ productIndex: 1, quantity: 1 }],
      discountCode: free,
      shippingCents: 1200,
    });
    // 24.00 tote + 13% tax, shipping 12.00 taken off.
    expect(order).toMatchObject({ discountCents: 0, shippingDiscountCents: 1200, totalCents: 2712 });
    const pricey = sandbox().control.placeOrder({
      shop,
      customerId: shopper.id,
      lines: [{ productIndex: 1, quantity: 1 }],
      discountCode: free,
      shippingCents: 2000,
    });
    expect(pricey).toMatchObject({ totalCents: 2712 + 2000 });
    const refunded = sandbox().control.refund({ shop, orderId: order.id });
    expect(refunded.refunds[0]).toMatchObject({ amountCents: 2712, shippingCents: 0 });
    await sandbox().control.idle();
    const paid = app()
      .of("orders/paid")
      .find((o) => o.admin_graphql_api_id === `gid://shopify/Order/${order.id}`);
    expect(paid).toMatchObject({
      discount_codes: [{ code: free, amount: "12.00", type: "shipping" }],
      discount_applications: [expect.objectContaining({ target_type: "shipping_line", value_type: "percentage" })],
      total_price: "27.12",
      total_discounts: "12.00",
      shipping_lines: [expect.objectContaining({ price: "12.00", discounted_price: "0.00" })],
    });
  });

  it("lets only a segment's members use a code made for that segment", async () => {
    const { shop, gql } = await installedShop();
    const segment = await gql(
      `mutation { segmentCreate(name: "VIP", query: "customer_tags CONTAINS 'vip'") { segment { id } } }`,
    );
    const segmentId = segment.data.segmentCreate.segment.id as string;
    const vip = code("VIP");
    const created = await gql(BASIC, {
      d: {
        title: "VIP group discount",
        code: vip,
        context: { customerSegments: { add: [segmentId] } },
        customerGets: { value: { percentage: 0.15 }, items: { all: true } },
      },
    });
    expect(created.data.discountCodeBasicCreate.userErrors).toEqual([]);
    expect((await gql(BY_CODE, { code: vip })).data.codeDiscountNodeByCode.codeDiscount.context).toEqual({
      __typename: "DiscountCustomerSegments",
      segments: [{ id: segmentId, name: "VIP" }],
    });
    const member = sandbox().control.createCustomer({ shop, email: "member@example.com", tags: ["vip"] });
    const outsider = sandbox().control.createCustomer({ shop, email: "outsider@example.com" });
    const place = (customerId: string) => {
      try {
        return sandbox().control.placeOrder({ shop, customerId, discountCode: vip }).discountCents;
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(place(member.id)).toBe(1350);
    expect(place(outsider.id)).toBe("The discount code isn't available to you right now");
    sandbox().control.setTags({ shop, customerId: outsider.id, tags: ["vip"] });
    expect(place(outsider.id)).toBe(1350);
  });

  it("applies an automatic discount for a segment to its members' checkouts only, the better of it and a code, until deleted", async () => {
    const { shop, gql } = await installedShop();
    const segment = await gql(
      `mutation { segmentCreate(name: "Gold", query: "customer_tags CONTAINS 'gold'") { segment { id } } }`,
    );
    const segmentId = segment.data.segmentCreate.segment.id as string;
    const AUTOMATIC = `mutation A($d: DiscountAutomaticBasicInput!) {
      discountAutomaticBasicCreate(automaticBasicDiscount: $d) {
        automaticDiscountNode {
          id
          automaticDiscount {
            __typename
            ... on DiscountAutomaticBasic {
              title status summary
              context { __typename ... on DiscountCustomerSegments { segments { id } } }
            }
          }
        }
        userErrors { field message code }
      }
    }`;
    const refused = await gql(AUTOMATIC, {
      d: {
        title: "",
        context: { customerSegments: { add: ["gid://shopify/Segment/1"] } },
        customerGets: { value: { percentage: 1.5 }, items: { all: true } },
      },
    });
    expect(refused.data.discountAutomaticBasicCreate).toEqual({
      automaticDiscountNode: null,
      userErrors: [
        { field: ["automaticBasicDiscount", "title"], message: "Title can't be blank", code: "BLANK" },
        {
          field: ["automaticBasicDiscount", "customerGets", "value", "percentage"],
          message: "Value must be between 0.0 and 1.0",
          code: "VALUE_OUTSIDE_RANGE",
        },
        {
          field: ["automaticBasicDiscount", "context", "customerSegments", "add", "0"],
          message: "Segment does not exist",
          code: "INVALID",
        },
      ],
    });
    const created = await gql(AUTOMATIC, {
      d: {
        title: "Gold members 20%",
        startsAt: new Date(Date.now() - 1000).toISOString(),
        context: { customerSegments: { add: [segmentId] } },
        customerGets: { value: { percentage: 0.2 }, items: { all: true } },
      },
    });
    const node = created.data.discountAutomaticBasicCreate.automaticDiscountNode;
    expect(node.automaticDiscount).toEqual({
      __typename: "DiscountAutomaticBasic",
      title: "Gold members 20%",
      status: "ACTIVE",
      summary: "20% off entire order • For customers in segments",
      context: { __typename: "DiscountCustomerSegments", segments: [{ id: segmentId }] },
    });
    const member = sandbox().control.createCustomer({ shop, email: "gold@example.com", tags: ["gold"] });
    const outsider = sandbox().control.createCustomer({ shop, email: "plain@example.com" });
    const small = code("TEN");
    sandbox().control.createDiscountCode({ shop, code: small, percentage: 0.1 });
    const big = code("HALF");
    sandbox().control.createDiscountCode({ shop, code: big, percentage: 0.5 });

    // A member gets it with no code; an outsider does not.
    const gold = sandbox().control.placeOrder({ shop, customerId: member.id });
    expect(gold.discountCents).toBe(1800);
    expect(sandbox().control.placeOrder({ shop, customerId: outsider.id }).discountCents).toBe(0);
    // With a code: whichever takes off more, alone.
    expect(sandbox().control.placeOrder({ shop, customerId: member.id, discountCode: small }).discountCents).toBe(1800);
    expect(sandbox().control.placeOrder({ shop, customerId: member.id, discountCode: big }).discountCents).toBe(4500);
    expect(sandbox().control.placeOrder({ shop, customerId: outsider.id, discountCode: small }).discountCents).toBe(
      900,
    );
    // The order says what applied it, as REST's discount_applications does.
    await sandbox().control.idle();
    const paid = app()
      .of("orders/paid")
      .find((body) => body.id === Number(gold.id) || String(body.id) === gold.id);
    expect(paid).toMatchObject({
      discount_codes: [],
      discount_applications: [
        { type: "automatic", title: "Gold members 20%", value: "20.0", value_type: "percentage" },
      ],
      line_items: [expect.objectContaining({ discount_allocations: [expect.objectContaining({ amount: "18.00" })] })],
    });

    const deleted = await gql(
      `mutation D($id: ID!) { discountAutomaticDelete(id: $id) { deletedAutomaticDiscountId userErrors { message } } }`,
      { id: node.id },
    );
    expect(deleted.data.discountAutomaticDelete).toEqual({ deletedAutomaticDiscountId: node.id, userErrors: [] });
    expect(sandbox().control.placeOrder({ shop, customerId: member.id }).discountCents).toBe(0);
    await sandbox().control.idle();
    expect(
      app()
        .received.filter((r) => r.topic.startsWith("discounts/"))
        .map((r) => r.topic),
    ).toEqual(["discounts/create", "discounts/create", "discounts/create", "discounts/delete"]);
  });

  it("keeps an automatic discount's dates as Shopify keeps a DateTime: UTC, to the second, whatever offset was sent", async () => {
    const { gql } = await installedShop();
    const created = await gql(
      `mutation A($d: DiscountAutomaticBasicInput!) {
        discountAutomaticBasicCreate(automaticBasicDiscount: $d) {
          automaticDiscountNode { automaticDiscount { ... on DiscountAutomaticBasic { startsAt endsAt status } } }
          userErrors { field message code }
        }
      }`,
      {
        d: {
          title: "Summer",
          startsAt: "2026-06-01T00:00:00.250-04:00",
          // The last instant of Jul 15 in Toronto, with its offset and milliseconds.
          endsAt: "2099-07-15T23:59:59.999-04:00",
          context: { all: "ALL" },
          customerGets: { value: { percentage: 0.1 }, items: { all: true } },
        },
      },
    );
    expect(created.data.discountAutomaticBasicCreate).toEqual({
      automaticDiscountNode: {
        automaticDiscount: { startsAt: "2026-06-01T04:00:00Z", endsAt: "2099-07-16T03:59:59Z", status: "ACTIVE" },
      },
      userErrors: [],
    });
  });

  it("puts a shared link's code in the cart, applies it at the next checkout, then empties the cart", async () => {
    const { shop, gql } = await installedShop();
    const link = code("LINK");
    await gql(BASIC, {
      d: {
        title: "Link",
        code: link,
        context: { all: "ALL" },
        customerGets: { value: { discountAmount: { amount: "5.00" } }, items: { all: true } },
      },
    });
    const shopper = new Shopper(sandbox().origin, shop);
    const opened = await shopper.get(`/discount/${link}?redirect=/products/canvas-tote&shop=${shop}`);
    expect(opened).toMatchObject({ status: 302, location: "/products/canvas-tote" });
    expect(shopper.cookieValue("discount_code")).toBe(link);

    // The theme's cart shows the code, and checkout has it filled in.
    const tote = await shopper.follow(opened);
    await shopper.post("/cart/add", { form_type: "product", id: /name="id" value="(\d+)"/.exec(tote.text)![1]! });
    expect((await shopper.get("/cart")).text).toContain(
      `data-discount-applicable="true">Discount ${link} will apply at checkout`,
    );
    expect((await shopper.get("/checkout")).text).toContain(`value="${link}"`);
    const paid = await shopper.post("/checkout", { email: "linked@example.com", discount: link });
    // 24.00 tote less 5.00, plus 13% tax: 21.47.
    expect((await shopper.follow(paid)).text).toMatch(/Order #\d+ placed: \$21\.47 CAD\./);
    expect(shopper.cookieValue("discount_code")).toBeUndefined();
    expect((await shopper.get("/cart")).text).not.toContain(link);

    // The /storefront/order shortcut takes a link's code as well, and spends it.
    const again = code("LINK");
    sandbox().control.createDiscountCode({ shop, code: again, amountCents: 500 });
    const checkout = await fetch(`${sandbox().origin}/storefront/order`, {
      method: "POST",
      headers: {
        cookie: `sandbox_shop=${shop}; discount_code=${again}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ productIndex: "1", quantity: "1", email: "linked@example.com" }),
    });
    expect(await checkout.text()).toContain("placed: 21.47 CAD");
    expect(checkout.headers.getSetCookie()).toContain("discount_code=; Path=/; Max-Age=0; SameSite=Lax");

    const offsite = await fetch(`${sandbox().origin}/discount/${link}?redirect=https://evil.example.com/`, {
      redirect: "manual",
    });
    expect(offsite.headers.get("location")).toBe("/");
    const backslash = await fetch(`${sandbox().origin}/discount/${link}?redirect=/\\evil.example.com/`, {
      redirect: "manual",
    });
    expect(backslash.headers.get("location")).toBe("/");
  });

  it("says in the cart whether checkout will take a code, by checkout's own rules", async () => {
    const { shop } = await installedShop();
    const member = sandbox().control.createCustomerAccount({ shop, email: "member@example.com" });
    const theirs = code("THEIRS");
    const over100 = code("OVER100");
    const later = code("LATER");
    sandbox().control.createDiscountCode({ shop, code: theirs, amountCents: 500, customerIds: [member.id] });
    sandbox().control.createDiscountCode({ shop, code: over100, amountCents: 500, minimumSubtotalCents: 10_000 });
    sandbox().control.createDiscountCode({ shop, code: later, amountCents: 500, startsAt: inAnHour() });
    const shopper = new Shopper(sandbox().origin, shop);
    const mug = await shopper.get("/products/ceramic-mug");
    await shopper.post("/cart/add", { form_type: "product", id: /name="id" value="(\d+)"/.exec(mug.text)![1]! });
    await shopper.post("/cart", { form_type: "cart", discount: [theirs, over100, later].join(",") });
    const applicable = async () =>
      Object.fromEntries(
        [
          ...(await shopper.get("/cart")).text.matchAll(
            /data-discount-applicable="(\w+)">(?:Discount )?([A-Z0-9]+-[A-Z0-9]+)/g,
          ),
        ].map((m) => [m[2], m[1]]),
      );
    // A guest: the code is another customer's, the cart is under the minimum, the other is not running yet.
    expect(await applicable()).toEqual({ [theirs]: "false", [over100]: "false", [later]: "false" });
    await shopper.post("/account/login", { form_type: "customer_login", "customer[email]": "member@example.com" });
    expect((await applicable())[theirs]).toBe("true");
    const checkout = await shopper.post("/checkout", { discount: later });
    expect(checkout.text).toContain("Error: Enter a valid discount code");
  });
});
