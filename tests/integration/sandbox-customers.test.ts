import { describe, expect, it } from "vitest";
import { useSandboxWithClient } from "../helpers/sandbox-with-client";

const { sandbox, app, installedShop } = useSandboxWithClient();

const CUSTOMER_FIELDS = `id firstName lastName email phone tags taxExempt note state
  defaultEmailAddress { emailAddress marketingState }
  defaultPhoneNumber { phoneNumber marketingState }
  smsMarketingConsent { marketingState marketingOptInLevel }`;

const CREATE = `mutation Create($input: CustomerInput!) {
  customerCreate(input: $input) { customer { ${CUSTOMER_FIELDS} } userErrors { field message } }
}`;
const UPDATE = `mutation Update($input: CustomerInput!) {
  customerUpdate(input: $input) { customer { ${CUSTOMER_FIELDS} } userErrors { field message } }
}`;
const READ = `query Read($id: ID!) { customer(id: $id) { ${CUSTOMER_FIELDS} } }`;

describe("sandbox customers", () => {
  it("creates and edits a customer on every field the app edits, phones stored in E.164", async () => {
    const { gql } = await installedShop();
    const created = await gql(CREATE, {
      input: {
        firstName: "Chloé",
        lastName: "Nguyen",
        email: "chloe@example.com",
        phone: "(613) 555-0142",
        tags: ["vip", " wholesale ", "vip"],
        taxExempt: true,
        note: "Prefers pickup",
      },
    });
    expect(created.data.customerCreate).toMatchObject({
      customer: {
        firstName: "Chloé",
        lastName: "Nguyen",
        email: "chloe@example.com",
        phone: "+16135550142",
        tags: ["vip", "wholesale"],
        taxExempt: true,
        note: "Prefers pickup",
        state: "DISABLED",
        smsMarketingConsent: { marketingState: "NOT_SUBSCRIBED" },
      },
      userErrors: [],
    });
    const id = created.data.customerCreate.customer.id as string;
    const updated = await gql(UPDATE, {
      input: {
        id,
        firstName: "Chloe",
        lastName: "Nguyen-Park",
        email: "chloe.park@example.com",
        phone: "+44 20 7946 0958",
        tags: ["vip"],
        taxExempt: false,
        note: null,
      },
    });
    expect(updated.data.customerUpdate).toMatchObject({
      customer: {
        firstName: "Chloe",
        lastName: "Nguyen-Park",
        email: "chloe.park@example.com",
        phone: "+442079460958",
        tags: ["vip"],
        taxExempt: false,
        note: null,
      },
      userErrors: [],
    });
    await sandbox().control.idle();
    expect(app().received.map((r) => r.topic)).toEqual([
      "customers/create",
      "customer.tags_added",
      "customers/update",
      "customer.tags_removed",
    ]);
    expect(app().of("customers/update")[0]).toMatchObject({ email: "chloe.park@example.com", phone: "+442079460958" });
  });

  it("customerSet upserts by email: creates once, then updates that customer, firing customers/create then update", async () => {
    const { gql } = await installedShop();
    const SET = `mutation Set($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) {
      customerSet(identifier: $identifier, input: $input) { customer { ${CUSTOMER_FIELDS} } userErrors { field message code } }
    }`;
    const first = await gql(SET, {
      identifier: { email: "Upsert@Example.com" },
      input: { firstName: "Una", phone: "613 555 0150" },
    });
    expect(first.data.customerSet).toMatchObject({
      customer: { firstName: "Una", email: "Upsert@Example.com", phone: "+16135550150" },
      userErrors: [],
    });
    const again = await gql(SET, {
      identifier: { email: "upsert@example.com" },
      input: { email: "upsert@example.com", lastName: "Set", tags: ["imported"] },
    });
    expect(again.data.customerSet.customer).toMatchObject({
      id: first.data.customerSet.customer.id,
      firstName: "Una",
      lastName: "Set",
      tags: ["imported"],
    });
    const mismatch = await gql(SET, { identifier: { email: "a@example.com" }, input: { email: "b@example.com" } });
    expect(mismatch.data.customerSet).toMatchObject({ customer: null, userErrors: [{ field: ["input", "email"] }] });
    const missing = await gql(SET, {
      identifier: { id: "gid://shopify/Customer/999999999" },
      input: { firstName: "X" },
    });
    expect(missing.data.customerSet.userErrors[0].field).toEqual(["identifier", "id"]);
    const topics = app().received.map((delivery) => delivery.topic);
    expect(topics.filter((topic) => topic === "customers/create")).toHaveLength(1);
    expect(topics).toContain("customers/update");
  });

  it("refuses what Shopify refuses, on the fields it names, all at once, changing nothing", async () => {
    const { shop, gql } = await installedShop();
    sandbox().control.createCustomer({ shop, email: "taken@example.com", firstName: "Ada" });
    const other = await gql(CREATE, { input: { email: "other@example.com", phone: "+16135550199" } });
    const id = other.data.customerCreate.customer.id as string;
    await sandbox().control.idle();
    app().received.length = 0;

    const errorsOf = async (mutation: string, input: Record<string, unknown>) => {
      const answer = await gql(mutation, { input });
      const payload = answer.data.customerCreate ?? answer.data.customerUpdate;
      return payload.userErrors as { field: string[] | null; message: string }[];
    };
    expect(await errorsOf(CREATE, { email: "TAKEN@example.com" })).toEqual([
      { field: ["email"], message: "Email has already been taken" },
    ]);
    expect(await errorsOf(CREATE, { email: "not-an-email", phone: "call me" })).toEqual([
      { field: ["email"], message: "Email is invalid" },
      { field: ["phone"], message: "Phone is invalid" },
    ]);
    expect(await errorsOf(CREATE, { phone: "613-555-0199" })).toEqual([
      { field: ["phone"], message: "Phone has already been taken" },
    ]);
    expect(await errorsOf(CREATE, { note: "no identity" })).toEqual([
      { field: null, message: "A name, phone number, or email address must be present" },
    ]);
    expect(await errorsOf(CREATE, { firstName: "x".repeat(256) })).toEqual([
      { field: ["firstName"], message: "First name is too long (maximum is 255 characters)" },
    ]);
    expect(await errorsOf(UPDATE, { id, email: "taken@example.com", firstName: "Renamed" })).toEqual([
      { field: ["email"], message: "Email has already been taken" },
    ]);
    expect(await errorsOf(UPDATE, { id, email: null, phone: null })).toEqual([
      { field: null, message: "A name, phone number, or email address must be present" },
    ]);
    expect(await errorsOf(UPDATE, { id: "gid://shopify/Customer/1", firstName: "Nobody" })).toEqual([
      { field: ["id"], message: "Customer does not exist" },
    ]);
    // A refused update leaves the customer as it was and tells no one.
    expect((await gql(READ, { id })).data.customer).toMatchObject({
      firstName: null,
      email: "other@example.com",
      phone: "+16135550199",
    });
    await sandbox().control.idle();
    expect(app().received).toEqual([]);
  });

  it("changes marketing consent only through the consent mutations, firing each consent topic", async () => {
    const { gql } = await installedShop();
    const created = await gql(CREATE, {
      input: {
        email: "noor@example.com",
        phone: "+16135550111",
        emailMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN" },
      },
    });
    const id = created.data.customerCreate.customer.id as string;
    expect(created.data.customerCreate.customer.defaultEmailAddress.marketingState).toBe("SUBSCRIBED");
    const viaUpdate = await gql(UPDATE, {
      input: { id, emailMarketingConsent: { marketingState: "UNSUBSCRIBED" } },
    });
    expect(viaUpdate.data.customerUpdate).toEqual({
      customer: null,
      userErrors: [
        {
          field: ["emailMarketingConsent"],
          message:
            "To update emailMarketingConsent, please use the customerEmailMarketingConsentUpdate Mutation instead.",
        },
      ],
    });
    const email = await gql(
      `mutation E($input: CustomerEmailMarketingConsentUpdateInput!) {
        customerEmailMarketingConsentUpdate(input: $input) {
          customer { defaultEmailAddress { marketingState } } userErrors { field message code }
        }
      }`,
      { input: { customerId: id, emailMarketingConsent: { marketingState: "UNSUBSCRIBED" } } },
    );
    expect(email.data.customerEmailMarketingConsentUpdate).toEqual({
      customer: { defaultEmailAddress: { marketingState: "UNSUBSCRIBED" } },
      userErrors: [],
    });
    const SMS = `mutation S($input: CustomerSmsMarketingConsentUpdateInput!) {
      customerSmsMarketingConsentUpdate(input: $input) {
        customer { smsMarketingConsent { marketingState marketingOptInLevel } } userErrors { field message code }
      }
    }`;
    const sms = await gql(SMS, {
      input: {
        customerId: id,
        smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" },
      },
    });
    expect(sms.data.customerSmsMarketingConsentUpdate).toEqual({
      customer: { smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" } },
      userErrors: [],
    });
    const noPhone = await gql(CREATE, { input: { email: "nophone@example.com" } });
    const refused = await gql(SMS, {
      input: {
        customerId: noPhone.data.customerCreate.customer.id,
        smsMarketingConsent: { marketingState: "SUBSCRIBED" },
      },
    });
    expect(refused.data.customerSmsMarketingConsentUpdate).toEqual({
      customer: null,
      userErrors: [
        {
          field: ["input", "smsMarketingConsent"],
          message: "A phone number is required to set the SMS consent state.",
          code: "INVALID",
        },
      ],
    });
    await sandbox().control.idle();
    expect(app().of("customers_email_marketing_consent/update")).toEqual([
      expect.objectContaining({
        email_address: "noor@example.com",
        email_marketing_consent: expect.objectContaining({ state: "unsubscribed" }),
      }),
    ]);
    expect(app().of("customers_marketing_consent/update")).toEqual([
      expect.objectContaining({
        phone: "+16135550111",
        sms_marketing_consent: expect.objectContaining({ state: "subscribed", opt_in_level: "single_opt_in" }),
      }),
    ]);
    expect(app().of("customers/update")).toHaveLength(2);
  });

  it("deletes a customer without orders and refuses one with orders, in Shopify's words", async () => {
    const { shop, gql } = await installedShop();
    const buyer = sandbox().control.createCustomerAccount({ shop, email: "buyer@example.com" });
    sandbox().control.placeOrder({ shop, customerId: buyer.id });
    const browser = sandbox().control.createCustomerAccount({ shop, email: "browser@example.com" });
    const DELETE = `mutation D($id: ID!) { customerDelete(input: { id: $id }) { deletedCustomerId userErrors { field message } } }`;
    const kept = await gql(DELETE, { id: `gid://shopify/Customer/${buyer.id}` });
    expect(kept.data.customerDelete).toEqual({
      deletedCustomerId: null,
      userErrors: [{ field: ["id"], message: "Customer can’t be deleted because they have associated orders" }],
    });
    const gone = await gql(DELETE, { id: `gid://shopify/Customer/${browser.id}` });
    expect(gone.data.customerDelete).toEqual({
      deletedCustomerId: `gid://shopify/Customer/${browser.id}`,
      userErrors: [],
    });
    expect((await gql(READ, { id: `gid://shopify/Customer/${browser.id}` })).data.customer).toBeNull();
    await sandbox().control.idle();
    expect(app().of("customers/delete")).toEqual([expect.objectContaining({ id: Number(browser.id) })]);
  });

  it("queues a data erasure, cancels it, and carries it out with customers/redact; without the scope, access denied", async () => {
    const { shop, gql } = await installedShop();
    const customer = sandbox().control.createCustomerAccount({ shop, email: "erase.me@example.com" });
    const order = sandbox().control.placeOrder({ shop, customerId: customer.id });
    const id = `gid://shopify/Customer/${customer.id}`;
    const REQUEST = `mutation R($id: ID!) { customerRequestDataErasure(customerId: $id) { customerId userErrors { field message code } } }`;
    const CANCEL = `mutation C($id: ID!) { customerCancelDataErasure(customerId: $id) { customerId userErrors { field message code } } }`;

    expect((await gql(REQUEST, { id })).data.customerRequestDataErasure).toEqual({ customerId: id, userErrors: [] });
    expect((await gql(REQUEST, { id })).data.customerRequestDataErasure.userErrors[0].code).toBe("FAILED_TO_REQUEST");
    expect((await gql(CANCEL, { id })).data.customerCancelDataErasure).toEqual({ customerId: id, userErrors: [] });
    expect((await gql(CANCEL, { id })).data.customerCancelDataErasure.userErrors).toEqual([
      { field: ["customerId"], message: "Customer's data is not scheduled for erasure", code: "NOT_BEING_ERASED" },
    ]);
    expect(
      (await gql(REQUEST, { id: "gid://shopify/Customer/1" })).data.customerRequestDataErasure.userErrors[0].code,
    ).toBe("DOES_NOT_EXIST");
    await gql(REQUEST, { id });
    expect(sandbox().control.erasureRequests({ shop })).toEqual([expect.objectContaining({ customerId: customer.id })]);
    expect(sandbox().control.processDataErasures({ shop })).toEqual({ erased: [customer.id] });
    expect((await gql(READ, { id })).data.customer).toBeNull();
    await sandbox().control.idle();
    const redact = app().received.find((r) => r.topic === "customers/redact")!;
    expect(redact.body).toContain(`"orders_to_redact":[${order.id}]`);
    expect(redact.json.customer).toMatchObject({ email: "erase.me@example.com" });

    // A merchant who did not grant write_customer_data_erasure: the field answers null with ACCESS_DENIED.
    const limited = `${shop.replace(".myshopify.com", "")}-limited.myshopify.com`;
    sandbox().control.createShop({ shop: limited });
    sandbox().control.setGrantedScopes({ shop: limited, scopes: ["read_customers", "write_customers"] });
    const { gql: limitedGql } = await installedShop({ shop: limited });
    const other = sandbox().control.createCustomerAccount({ shop: limited, email: "someone@example.com" });
    const denied = await limitedGql(REQUEST, { id: `gid://shopify/Customer/${other.id}` });
    expect(denied.data).toEqual({ customerRequestDataErasure: null });
    expect(denied.errors).toEqual([
      expect.objectContaining({
        message:
          "Access denied for customerRequestDataErasure field. Required access: `write_customer_data_erasure` access scope.",
        path: ["customerRequestDataErasure"],
        extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
      }),
    ]);
    expect(sandbox().control.erasureRequests({ shop: limited })).toEqual([]);
  });

  it("records the account invitation Shopify sends, and the customer becomes invited", async () => {
    const { shop, gql } = await installedShop();
    const guest = sandbox().control.createCustomer({ shop, email: "guest@example.com", firstName: "Kai" });
    const member = sandbox().control.createCustomerAccount({ shop, email: "member@example.com" });
    const INVITE = `mutation I($id: ID!, $email: EmailInput) {
      customerSendAccountInviteEmail(customerId: $id, email: $email) { customer { state } userErrors { field message code } }
    }`;
    const invited = await gql(INVITE, {
      id: `gid://shopify/Customer/${guest.id}`,
      email: { subject: "Your points are waiting", customMessage: "Set a password to see your rewards." },
    });
    expect(invited.data.customerSendAccountInviteEmail).toEqual({ customer: { state: "INVITED" }, userErrors: [] });
    expect(sandbox().control.sentEmails({ shop })).toEqual([
      expect.objectContaining({
        kind: "customer_account_invite",
        customerId: guest.id,
        to: "guest@example.com",
        subject: "Your points are waiting",
        customMessage: "Set a password to see your rewards.",
      }),
    ]);
    const refused = await gql(INVITE, { id: `gid://shopify/Customer/${member.id}` });
    expect(refused.data.customerSendAccountInviteEmail).toEqual({
      customer: null,
      userErrors: [{ field: ["customerId"], message: "Customer's account is already enabled", code: "INVALID" }],
    });
    await sandbox().control.idle();
    expect(app().of("customers/update")).toEqual([expect.objectContaining({ state: "invited" })]);

    const newAccounts = await installedShop({ legacyCustomerAccounts: false });
    const someone = sandbox().control.createCustomer({ shop: newAccounts.shop, email: "someone@example.com" });
    const onNew = await newAccounts.gql(INVITE, { id: `gid://shopify/Customer/${someone.id}` });
    expect(onNew.data.customerSendAccountInviteEmail.userErrors[0].code).toBe("INVALID");
    expect(sandbox().control.sentEmails({ shop: newAccounts.shop })).toEqual([]);
  });
});
