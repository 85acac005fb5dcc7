import { describe, expect, it } from "vitest";
import { useSandboxWithClient } from "../helpers/sandbox-with-client";
import { Shopper } from "../helpers/shopper";

const { sandbox, app, installedShop } = useSandboxWithClient();

const CREDIT = `mutation C($id: ID!, $input: StoreCreditAccountCreditInput!) {
  storeCreditAccountCredit(id: $id, creditInput: $input) {
    storeCreditAccountTransaction { id amount { amount currencyCode } balanceAfterTransaction { amount } expiresAt
      account { id balance { amount currencyCode } } }
    userErrors { field message code }
  }
}`;
const DEBIT = `mutation D($id: ID!, $input: StoreCreditAccountDebitInput!) {
  storeCreditAccountDebit(id: $id, debitInput: $input) {
    storeCreditAccountTransaction { id amount { amount } balanceAfterTransaction { amount } event }
    userErrors { field message code }
  }
}`;
const ACCOUNTS = `query A($id: ID!, $query: String) {
  customer(id: $id) {
    storeCreditAccounts(first: 5, query: $query) {
      nodes {
        balance { amount currencyCode }
        transactions(first: 20) {
          nodes {
            __typename amount { amount } balanceAfterTransaction { amount } event
            ... on StoreCreditAccountCreditTransaction { expiresAt remainingAmount { amount } }
            ... on StoreCreditAccountExpirationTransaction { creditTransaction { id } }
            origin { ... on OrderTransaction { gateway kind amountSet { shopMoney { amount } } order { id } } }
          }
        }
      }
    }
  }
}`;

const money = (amount: string, currencyCode = "CAD") => ({ amount, currencyCode });
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe("sandbox store credit", () => {
  it("keeps one account per currency, credits and debits it, and refuses what Shopify refuses", async () => {
    const { shop, gql } = await installedShop({ presentmentCurrencies: ["USD"] });
    const customer = sandbox().control.createCustomerAccount({ shop, email: "credit@example.com" });
    const id = `gid://shopify/Customer/${customer.id}`;
    const credited = await gql(CREDIT, { id, input: { creditAmount: money("20.00") } });
    expect(credited.data.storeCreditAccountCredit).toMatchObject({
      storeCreditAccountTransaction: {
        amount: { amount: "20.0", currencyCode: "CAD" },
        balanceAfterTransaction: { amount: "20.0" },
        expiresAt: null,
        account: { balance: { amount: "20.0", currencyCode: "CAD" } },
      },
      userErrors: [],
    });
    const cadAccount = credited.data.storeCreditAccountCredit.storeCreditAccountTransaction.account.id as string;
    await gql(CREDIT, { id, input: { creditAmount: money("5.00", "USD") } });

    const errorOf = async (mutation: string, vars: Record<string, unknown>) => {
      const answer = await gql(mutation, vars);
      const payload = answer.data.storeCreditAccountCredit ?? answer.data.storeCreditAccountDebit;
      expect(payload.storeCreditAccountTransaction).toBeNull();
      return payload.userErrors[0] as { field: string[]; code: string; message: string };
    };
    expect(await errorOf(CREDIT, { id: cadAccount, input: { creditAmount: money("1.00", "USD") } })).toEqual({
      field: ["creditInput", "creditAmount", "currencyCode"],
      message: "The currency provided does not match the currency of the store credit account.",
      code: "MISMATCHING_CURRENCY",
    });
    expect((await errorOf(CREDIT, { id, input: { creditAmount: money("1.00", "EUR") } })).code).toBe(
      "UNSUPPORTED_CURRENCY",
    );
    expect((await errorOf(CREDIT, { id, input: { creditAmount: money("0") } })).code).toBe("NEGATIVE_OR_ZERO_AMOUNT");
    expect(
      (await errorOf(CREDIT, { id, input: { creditAmount: money("1.00"), expiresAt: hoursFromNow(-1) } })).code,
    ).toBe("EXPIRES_AT_IN_PAST");
    expect(
      (await errorOf(CREDIT, { id: "gid://shopify/Customer/1", input: { creditAmount: money("1.00") } })).code,
    ).toBe("OWNER_NOT_FOUND");
    expect(await errorOf(DEBIT, { id, input: { debitAmount: money("25.00") } })).toEqual({
      field: ["debitInput", "debitAmount", "amount"],
      message: "The store credit account does not have sufficient funds to satisfy the request.",
      code: "INSUFFICIENT_FUNDS",
    });
    const stranger = sandbox().control.createCustomerAccount({ shop, email: "nocredit@example.com" });
    expect(
      (await errorOf(DEBIT, { id: `gid://shopify/Customer/${stranger.id}`, input: { debitAmount: money("1.00") } }))
        .code,
    ).toBe("ACCOUNT_NOT_FOUND");

    const debited = await gql(DEBIT, { id: cadAccount, input: { debitAmount: money("7.50") } });
    expect(debited.data.storeCreditAccountDebit).toMatchObject({
      storeCreditAccountTransaction: {
        amount: { amount: "-7.5" },
        balanceAfterTransaction: { amount: "12.5" },
        event: "ADJUSTMENT",
      },
      userErrors: [],
    });
    const accounts = await gql(ACCOUNTS, { id });
    expect(accounts.data.customer.storeCreditAccounts.nodes.map((a: { balance: unknown }) => a.balance)).toEqual([
      money("12.5"),
      money("5.0", "USD"),
    ]);
    expect(accounts.data.customer.storeCreditAccounts.nodes[0].transactions.nodes).toEqual([
      expect.objectContaining({ __typename: "StoreCreditAccountCreditTransaction", amount: { amount: "20.0" } }),
      expect.objectContaining({
        __typename: "StoreCreditAccountDebitTransaction",
        amount: { amount: "-7.5" },
        balanceAfterTransaction: { amount: "12.5" },
      }),
    ]);
    const usd = await gql(ACCOUNTS, { id, query: "currency_code:USD" });
    expect(usd.data.customer.storeCreditAccounts.nodes.map((a: { balance: unknown }) => a.balance)).toEqual([
      money("5.0", "USD"),
    ]);
    await sandbox().control.idle();
    // Shopify has no store credit webhook topic.
    expect(app().received.filter((r) => r.topic.includes("credit"))).toEqual([]);
  });

  it("spends the soonest-expiring credit first and expires what is left of a credit when its day comes", async () => {
    const { shop, gql } = await installedShop();
    const customer = sandbox().control.createCustomerAccount({ shop, email: "expiry@example.com" });
    const id = `gid://shopify/Customer/${customer.id}`;
    const soon = await gql(CREDIT, { id, input: { creditAmount: money("10.00"), expiresAt: hoursFromNow(1) } });
    const later = await gql(CREDIT, { id, input: { creditAmount: money("10.00"), expiresAt: hoursFromNow(2) } });
    await gql(CREDIT, { id, input: { creditAmount: money("10.00") } });
    await gql(DEBIT, { id, input: { debitAmount: money("15.00") } });
    const laterId = later.data.storeCreditAccountCredit.storeCreditAccountTransaction.id as string;
    expect(soon.data.storeCreditAccountCredit.userErrors).toEqual([]);

    expect(sandbox().control.expireStoreCredit({ shop, at: hoursFromNow(1.5) })).toEqual({ expired: 1 });
    let account = (await gql(ACCOUNTS, { id })).data.customer.storeCreditAccounts.nodes[0];
    // The first credit was spent in full: its expiry takes nothing.
    expect(account.balance).toEqual(money("15.0"));
    expect(sandbox().control.expireStoreCredit({ shop, at: hoursFromNow(3) })).toEqual({ expired: 1 });
    account = (await gql(ACCOUNTS, { id })).data.customer.storeCreditAccounts.nodes[0];
    expect(account.balance).toEqual(money("10.0"));
    expect(
      account.transactions.nodes.map((t: { __typename: string; amount: { amount: string } }) => [
        t.__typename,
        t.amount.amount,
      ]),
    ).toEqual([
      ["StoreCreditAccountCreditTransaction", "10.0"],
      ["StoreCreditAccountCreditTransaction", "10.0"],
      ["StoreCreditAccountCreditTransaction", "10.0"],
      ["StoreCreditAccountDebitTransaction", "-15.0"],
      ["StoreCreditAccountExpirationTransaction", "-5.0"],
    ]);
    expect(account.transactions.nodes[1].remainingAmount).toEqual({ amount: "5.0" });
    expect(account.transactions.nodes[4]).toMatchObject({
      balanceAfterTransaction: { amount: "10.0" },
      creditTransaction: { id: laterId },
    });
  });

  it("pays for an order with store credit at checkout, the rest by card, as the order and the account show", async () => {
    const { shop, gql } = await installedShop();
    const customer = sandbox().control.createCustomerAccount({ shop, email: "spender@example.com" });
    const id = `gid://shopify/Customer/${customer.id}`;
    sandbox().control.creditStoreCredit({ shop, customerId: customer.id, amountCents: 2000 });
    // A 24.00 tote with 13% tax: 27.12, of which 20.00 from store credit.
    const order = sandbox().control.placeOrder({
      shop,
      customerId: customer.id,
      lines: [{ productIndex: 1, quantity: 1 }],
      useStoreCredit: true,
    });
    expect(order.totalCents).toBe(2712);
    expect(order.payments).toEqual([
      expect.objectContaining({ gateway: "shopify_store_credit", amountCents: 2000 }),
      expect.objectContaining({ gateway: "bogus", amountCents: 712 }),
    ]);
    const account = (await gql(ACCOUNTS, { id })).data.customer.storeCreditAccounts.nodes[0];
    expect(account.balance).toEqual(money("0.0"));
    expect(account.transactions.nodes[1]).toEqual(
      expect.objectContaining({
        amount: { amount: "-20.0" },
        event: "ORDER_PAYMENT",
        origin: {
          gateway: "shopify_store_credit",
          kind: "SALE",
          amountSet: { shopMoney: { amount: "20.0" } },
          order: { id: `gid://shopify/Order/${order.id}` },
        },
      }),
    );
    expect(() => sandbox().control.placeOrder({ shop, customerId: customer.id, useStoreCredit: true })).toThrow(
      "There is no store credit to use",
    );
    await sandbox().control.idle();
    const paid = app()
      .of("orders/paid")
      .find((o) => o.admin_graphql_api_id === `gid://shopify/Order/${order.id}`);
    expect(paid).toMatchObject({ payment_gateway_names: ["shopify_store_credit", "bogus"], total_price: "27.12" });

    // The same at the storefront's checkout: the signed-in shopper sees the balance and ticks the box.
    sandbox().control.creditStoreCredit({ shop, customerId: customer.id, amountCents: 500 });
    const shopper = new Shopper(sandbox().origin, shop);
    const signedIn = await shopper.post("/account/login", {
      form_type: "customer_login",
      "customer[email]": "spender@example.com",
    });
    expect(signedIn.status).toBe(302);
    const mug = await shopper.get("/products/ceramic-mug");
    await shopper.post("/cart/add", { form_type: "product", id: /name="id" value="(\d+)"/.exec(mug.text)![1]! });
    expect((await shopper.get("/checkout")).text).toContain(
      "Use my store credit (<span data-storefront-store-credit>$5.00 CAD</span>)",
    );
    const paidWithCredit = await shopper.post("/checkout", { use_store_credit: "on" });
    expect(paidWithCredit.status).toBe(302);
    // An 18.00 mug plus 13% tax: 20.34, of which 5.00 from store credit.
    expect((await shopper.follow(paidWithCredit)).text).toMatch(
      /Order #\d+ placed: \$20\.34 CAD, \$5\.00 CAD of it paid with store credit\./,
    );
    // The balance is spent: no box, and a shopper who asks anyway is refused with checkout's words.
    await shopper.post("/cart/add", { form_type: "product", id: /name="id" value="(\d+)"/.exec(mug.text)![1]! });
    const empty = await shopper.get("/checkout");
    expect(empty.text).not.toContain("Use my store credit");
    expect((await shopper.post("/checkout", { use_store_credit: "on" })).text).toContain(
      "Error: There is no store credit to use",
    );

    // The /storefront/order shortcut spends it too.
    sandbox().control.creditStoreCredit({ shop, customerId: customer.id, amountCents: 500 });
    const checkout = await fetch(`${sandbox().origin}/storefront/order`, {
      method: "POST",
      headers: { cookie: shopper.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ productIndex: "3", quantity: "1", useStoreCredit: "on" }),
    });
    expect(await checkout.text()).toContain("placed: 20.34 CAD, 5.00 CAD of it paid with store credit.");
  });
});
