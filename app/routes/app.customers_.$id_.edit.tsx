import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { BlockStack, Card, Checkbox, FormLayout, Layout, Page, Select, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { EnterSubmitsForm } from "~/components/enter-submits-form";
import { customerErrorPage } from "~/components/request-error-page";
import { FormSaveBar } from "~/components/save-bar";
import { phoneHint, writePhone } from "~/domain/shared";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { pathIdOr404, readForm } from "~/lib/parse.server";
import { editCustomer, type EditableCustomer } from "~/services/customers/edit-customer.server";
import { getCustomerProfile } from "~/services/customers/get-customer-profile.server";
import { getShopCountry } from "~/services/shops/get-shop.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { shopifyCustomerEditor } from "~/shopify/admin/customer-edit.server";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

// The customer as Shopify has them now: Tally keeps no marketing consent (webhooks carry none since 2025-01).
export const meta: MetaFunction = () => pageTitle("Edit customer", "Customers");

export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const id = pathIdOr404(params.id, "customer");
  const ctx = contextFor(session.shop, "staff");
  const { customer } = await getCustomerProfile({ ctx, input: { customerId: id } });
  const current = await shopifyCustomerEditor(admin.graphql).read(customer.customerGid);
  const country = await getShopCountry({ ctx });
  // The phone as staff type it and the hint are worded here: the numbering plans (libphonenumber-js) stay on the
  // server. Saved unchanged, the written phone reads back to Shopify's E.164 (writePhone), so it changes nothing.
  return {
    customerId: id,
    current: current && { ...current, phone: current.phone && writePhone(current.phone, country) },
    phoneHelp: phoneHint(country),
  };
});

export type EditActionData = { ok: true; changed: string[] } | DomainErrorBody;

export const action = withFormErrors(async ({ request, params }: ActionFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const id = pathIdOr404(params.id, "customer");
  const form = await readForm(request);
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  // The service reads the form in the shop's country, so a phone it cannot read is refused with the other fields' mistakes.
  const { changed } = await editCustomer({
    ctx,
    input: { customerId: id, form },
    shopify: shopifyCustomerEditor(admin.graphql),
  });
  return { ok: true, changed } satisfies EditActionData;
});

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type Draft = Omit<EditableCustomer, "tags"> & { tags: string };

const draftOf = (customer: EditableCustomer): Draft => ({ ...customer, tags: customer.tags.join(", ") });

const marketingOptions = (label: string) => [
  { value: "SUBSCRIBED", label: `Subscribed to ${label}` },
  { value: "UNSUBSCRIBED", label: "Unsubscribed" },
  // Shopify lets staff set only subscribed or unsubscribed; "not subscribed" is where a customer starts.
  { value: "NOT_SUBSCRIBED", label: "Not subscribed", disabled: true },
];

export default function EditCustomer() {
  const { customerId, current, phoneHelp } = useLoaderData<typeof loader>();
  const actionData = useActionData<EditActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const initial = current ? draftOf(current) : null;
  const [draft, setDraft] = useState<Draft | null>(initial);
  const [saved, setSaved] = useState(initial);
  // After a save the loader brings Shopify's values: they become what the form compares against.
  if (JSON.stringify(initial) !== JSON.stringify(saved)) {
    setSaved(initial);
    setDraft(initial);
  }
  const saving = navigation.state === "submitting";
  const fieldErrors = actionData && "fieldErrors" in actionData ? (actionData.fieldErrors ?? {}) : {};

  useEffect(() => {
    if (!actionData) return;
    if ("ok" in actionData) shopify.toast.show(actionData.changed.length ? "Customer saved" : "No changes to save");
    else shopify.toast.show(actionData.error, { isError: true });
  }, [actionData, shopify]);

  const back = `/app/customers/${customerId}`;
  if (!draft || !initial) {
    return (
      <Page>
        <TitleBar title="Customer not found">
          <Link variant="breadcrumb" to={back}>
            Customer
          </Link>
        </TitleBar>
        <Card>Shopify no longer has this customer.</Card>
      </Page>
    );
  }
  const set =
    <Key extends keyof Draft>(key: Key) =>
    (value: Draft[Key]) =>
      setDraft({ ...draft, [key]: value });
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  // One sentence per field: a list's item errors ("tags.3") land on the list's field.
  const error = (field: string) =>
    Object.entries(fieldErrors)
      .filter(([path]) => path === field || path.startsWith(`${field}.`))
      .flatMap(([, messages]) => messages)[0];
  const name = [initial.firstName, initial.lastName].filter(Boolean).join(" ") || initial.email || "Customer";

  return (
    <Page>
      <TitleBar title={`Edit ${name}`}>
        <Link variant="breadcrumb" to={back}>
          {name}
        </Link>
      </TitleBar>
      <FormSaveBar
        id="edit-customer-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={() => submit({ ...draft, taxExempt: String(draft.taxExempt) }, { method: "post" })}
        onDiscard={() => setDraft(initial)}
      />
      <EnterSubmitsForm onSubmit={() => submit({ ...draft, taxExempt: String(draft.taxExempt) }, { method: "post" })}>
        <Layout>
          <Layout.AnnotatedSection title="Customer" description="Saved to Shopify; Tally shows what Shopify keeps.">
            <Card>
              <FormLayout>
                <FormLayout.Group>
                  <TextField
                    label="First name"
                    value={draft.firstName}
                    onChange={set("firstName")}
                    error={error("firstName")}
                    autoComplete="off"
                  />
                  <TextField
                    label="Last name"
                    value={draft.lastName}
                    onChange={set("lastName")}
                    error={error("lastName")}
                    autoComplete="off"
                  />
                </FormLayout.Group>
                <TextField
                  label="Email"
                  type="email"
                  value={draft.email}
                  onChange={set("email")}
                  error={error("email")}
                  autoComplete="off"
                />
                <TextField
                  label="Phone"
                  type="tel"
                  value={draft.phone}
                  onChange={set("phone")}
                  error={error("phone")}
                  helpText={capitalized(phoneHelp)}
                  autoComplete="off"
                />
                <TextField
                  label="Tags"
                  value={draft.tags}
                  onChange={set("tags")}
                  error={error("tags")}
                  helpText="Separate tags with commas"
                  autoComplete="off"
                />
                <Checkbox
                  label="Collect tax"
                  checked={!draft.taxExempt}
                  onChange={(collect) => setDraft({ ...draft, taxExempt: !collect })}
                  error={error("taxExempt")}
                  helpText="Clear for a tax-exempt customer"
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Marketing"
            description="Only change consent with the customer's permission: Shopify records it as given by the shop."
          >
            <Card>
              <BlockStack gap="300">
                <Select
                  label="Email marketing"
                  options={marketingOptions("email marketing")}
                  value={draft.emailMarketing}
                  onChange={(value) => set("emailMarketing")(value as Draft["emailMarketing"])}
                  error={error("emailMarketing")}
                />
                <Select
                  label="SMS marketing"
                  options={marketingOptions("SMS marketing")}
                  value={draft.smsMarketing}
                  onChange={(value) => set("smsMarketing")(value as Draft["smsMarketing"])}
                  error={error("smsMarketing")}
                />
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
      </EnterSubmitsForm>
    </Page>
  );
}

/** A customer not in Tally (or a path naming none) says so, with the way back to Customers, as the profile does. */
export function ErrorBoundary() {
  const error = useRouteError();
  return customerErrorPage(error) ?? boundary.error(error);
}
