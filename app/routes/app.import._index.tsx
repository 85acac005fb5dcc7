import type { MetaFunction, ActionFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Collapsible,
  DropZone,
  Icon,
  InlineError,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { FileIcon } from "@shopify/polaris-icons";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useFormat } from "~/components/format-context";
import { z } from "zod";
import {
  asSentence,
  existingCustomerChoiceSchema,
  pointsSourceSchema,
  SAMPLE_CUSTOMERS_FILE_NAME,
  uploadTooLarge,
} from "~/domain/imports";
import { withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseFormFields } from "~/lib/parse.server";
import { receiveUpload, requireFile } from "~/lib/uploads.server";
import { previewBackfill } from "~/services/imports/backfill-orders.server";
import { startCustomerImportCheck, startPointsImportCheck } from "~/services/imports/check-import.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

const customerFormSchema = z.object({
  intent: z.literal("customers"),
  existing: existingCustomerChoiceSchema,
  invite: z.enum(["on"]).optional(),
});
const pointsFormSchema = z.object({ intent: z.literal("points"), source: pointsSourceSchema });
const ordersFormSchema = z.object({
  intent: z.literal("orders"),
  since: z.iso.date({ error: "Choose the date of the first order to give points for" }),
});
const formSchema = z.discriminatedUnion("intent", [customerFormSchema, pointsFormSchema, ordersFormSchema]);
type FormIntent = z.infer<typeof formSchema>["intent"];

/** The title of a refusal, by the form that was sent. */
const refusalTitles: Record<FormIntent, string> = {
  customers: "This file cannot be imported",
  points: "This file cannot be imported",
  orders: "Points for past orders could not be previewed",
};

/**
 * POST /app/import (multipart): the file is streamed to disk, its header read (a file that is not a list is refused
 * here, in words) and its dry run queued; the merchant is sent to its page, which shows the check's progress and then
 * the preview (decision 048). Nothing reaches Shopify or the ledger here.
 */
export const meta: MetaFunction = () => pageTitle("Import");

export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, redirect } = await authenticate.admin(request);
  const { fields, file } = await receiveUpload(request);
  const form = parseFormFields(formSchema, fields);
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  if (form.intent === "orders") {
    const batch = await previewBackfill({ ctx, input: { since: form.since } });
    return redirect(`/app/import/${batch.id}`);
  }
  const upload = requireFile(file);
  const checking =
    form.intent === "customers"
      ? await startCustomerImportCheck({
          ctx,
          input: {
            fileName: upload.name,
            filePath: upload.path,
            existing: form.existing,
            invite: form.invite === "on",
          },
        })
      : await startPointsImportCheck({
          ctx,
          input: { fileName: upload.name, filePath: upload.path, source: form.source },
        });
  return redirect(`/app/import/${checking.id}`);
});

/**
 * Import customers' description: one sentence, the sample file, and every column rule behind "Columns Tally reads" (a
 * newcomer found 110 words of column names, province codes and phone reading where other apps have one line).
 */
function CustomerColumnsHelp() {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <BlockStack gap="200">
      <Text as="p" tone="subdued">
        Add or update customers in Shopify from a CSV file, such as Shopify&apos;s own customer export. Every row is
        checked before anything changes.
      </Text>
      <InlineStack gap="400" blockAlign="center">
        {/* A whole-page request (reloadDocument) so the browser downloads the file instead of the router opening it. */}
        <RemixLink to="/app/import/sample-customers.csv" reloadDocument download={SAMPLE_CUSTOMERS_FILE_NAME}>
          Download a sample CSV
        </RemixLink>
        <Button
          variant="plain"
          disclosure={open ? "up" : "down"}
          ariaExpanded={open}
          ariaControls={id}
          onClick={() => setOpen(!open)}
        >
          Columns Tally reads
        </Button>
      </InlineStack>
      <Collapsible id={id} open={open}>
        <List>
          <List.Item>
            Email (required), First name, Last name, Phone, Tags, Tax exempt and Accepts email marketing (yes or no),
            and Points.
          </List.Item>
          <List.Item>
            An address, which becomes the customer&apos;s default address in Shopify: Shopify&apos;s export columns
            (Default Address Address1, City, Province Code, Country Code, Zip, Phone, Company) or plain Address1, City,
            Province Code, Country Code and Zip.
          </List.Item>
          <List.Item>
            A country is a two-letter code Shopify knows (CA, GB); Canadian, US and Australian province codes are
            checked.
          </List.Item>
          <List.Item>
            Phone numbers are read in your store&apos;s country, as Shopify admin reads them (an address&apos;s phone in
            its own country): a number abroad needs its country code (+44 20 7946 0958).
          </List.Item>
          <List.Item>Comma or semicolon separated, from Excel, Numbers, Google Sheets or another shop.</List.Item>
        </List>
      </Collapsible>
    </BlockStack>
  );
}

export default function ImportPage() {
  const failed = useActionData<DomainErrorBody>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [existing, setExisting] = useState("update");
  // Off until the merchant asks: moving a list over should not email thousands of people unasked.
  const [invite, setInvite] = useState(false);
  const [source, setSource] = useState("smile");
  const [since, setSince] = useState("");
  const format = useFormat();
  // Which of the three forms was sent: its refusal is titled for it. Points for past orders has no file (C5, newcomer
  // round 17: "This file cannot be imported" above a date).
  const [sent, setSent] = useState<FormIntent>("customers");
  const failedForm = failed?.fieldErrors?.since ? "orders" : sent;
  return (
    <Page>
      <TitleBar title="Import" />
      <Layout>
        {failed?.error ? (
          <Layout.Section>
            <Banner tone="critical" title={refusalTitles[failedForm]}>
              {failed.fieldErrors ? (
                Object.entries(failed.fieldErrors).map(([field, messages]) => (
                  <p key={field}>{messages.map(asSentence).join(" ")}</p>
                ))
              ) : (
                <p>{asSentence(failed.error)}</p>
              )}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection title="Import customers" description={<CustomerColumnsHelp />}>
          <Card>
            <Form method="post" encType="multipart/form-data" onSubmit={() => setSent("customers")}>
              <input type="hidden" name="intent" value="customers" />
              <BlockStack gap="400">
                <CsvFileField testId="customers-file" />
                <Select
                  label="Customers Shopify already has (same email)"
                  name="existing"
                  options={[
                    { label: "Update them with the file's details", value: "update" },
                    { label: "Skip them", value: "skip" },
                  ]}
                  value={existing}
                  onChange={setExisting}
                />
                <Checkbox
                  label="Send new customers Shopify's account invitation"
                  helpText="Shopify does not let apps set passwords, so a password column cannot be imported. Shopify emails each new customer its invitation, with a link to choose their own password, from your store's notification settings in Shopify: it is not one of Tally's emails."
                  checked={invite}
                  onChange={setInvite}
                />
                {invite ? <input type="hidden" name="invite" value="on" /> : null}
                <Box>
                  <Button submit variant="primary" loading={busy}>
                    Check file
                  </Button>
                </Box>
              </BlockStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Move points from another loyalty app"
          description="Export your customers from Smile, LoyaltyLion or Yotpo (or make a file with email and points columns). Each balance is matched to a Shopify customer by email and added as one undoable batch."
        >
          <Card>
            <Form method="post" encType="multipart/form-data" onSubmit={() => setSent("points")}>
              <input type="hidden" name="intent" value="points" />
              <BlockStack gap="400">
                <Select
                  label="Moving from"
                  name="source"
                  options={[
                    { label: "Smile (Customers export: Email, Points balance)", value: "smile" },
                    { label: "LoyaltyLion (Customers export: email, approved points)", value: "loyaltylion" },
                    { label: "Yotpo (Customers export: Email, Points Balance)", value: "yotpo" },
                    { label: "Another app: a file with email and points", value: "generic" },
                  ]}
                  value={source}
                  onChange={setSource}
                />
                <CsvFileField testId="points-file" />
                <Box>
                  <Button submit loading={busy}>
                    Check file
                  </Button>
                </Box>
              </BlockStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Points for past orders"
          description="Orders paid before Tally was installed earned nothing. Give them the points today's program would give, from a date you choose. You see the total first; the points come as one batch you can undo while none of it is spent."
        >
          <Card>
            <Form method="post" encType="multipart/form-data" onSubmit={() => setSent("orders")}>
              <input type="hidden" name="intent" value="orders" />
              <BlockStack gap="400">
                <TextField
                  label="Orders paid on or after"
                  type="date"
                  name="since"
                  value={since}
                  onChange={setSince}
                  autoComplete="off"
                  error={failed?.fieldErrors?.since?.[0]}
                  helpText={`Orders paid from the start of this day (${format.timeZone} time) until Tally was installed.`}
                />
                <Box>
                  <Button submit loading={busy}>
                    Preview points
                  </Button>
                </Box>
              </BlockStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

/**
 * The file both upload forms post as `file`: dropped on Polaris' DropZone or picked through it (its own dialog), held
 * in the form's file input (hidden; its `testId`), and shown by name and size. A file that is not a CSV by its name or
 * type, or over the upload limit, is refused as it is dropped, in words under the field, and a form sent without a file
 * says so there instead of sending (the server still checks what arrives: decision 048).
 */
function CsvFileField({ testId }: { testId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<{ name: string; bytes: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const format = useFormat();
  const take = useCallback((file: File | undefined) => {
    setPicked(file ? { name: file.name, bytes: file.size } : null);
    setProblem(file ? refusalOf(file) : null);
  }, []);
  // The form's own submit: refused here, before Remix sends it, while there is no file or a refused one.
  useEffect(() => {
    const form = input.current?.form;
    if (!form) return;
    const refuse = (event: SubmitEvent) => {
      const file = input.current?.files?.[0];
      const why = file ? refusalOf(file) : NO_FILE_WORDS;
      if (why === null) return;
      event.preventDefault();
      setProblem(why);
    };
    form.addEventListener("submit", refuse);
    return () => form.removeEventListener("submit", refuse);
  }, []);
  return (
    <BlockStack gap="100">
      <DropZone
        id={`${testId}Drop`}
        label="CSV file"
        accept=".csv,text/csv"
        type="file"
        allowMultiple={false}
        error={problem !== null}
        errorOverlayText="Only a CSV file"
        onDrop={(_files, accepted, rejected) => {
          const file = accepted[0];
          if (!file) {
            if (rejected[0]) setProblem(notCsvWords(rejected[0].name));
            return;
          }
          const transfer = new DataTransfer();
          transfer.items.add(file);
          if (input.current) input.current.files = transfer.files;
          take(file);
        }}
      >
        {picked ? (
          <Box padding="400">
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <Icon source={FileIcon} tone="base" />
              <BlockStack>
                <Text as="span" variant="bodyMd" fontWeight="semibold" breakWord>
                  {picked.name}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  {fileSize(picked.bytes, format.number)} · drop another file or click to replace it
                </Text>
              </BlockStack>
            </InlineStack>
          </Box>
        ) : (
          <DropZone.FileUpload actionTitle="Add file" actionHint="or drop a CSV file here" />
        )}
      </DropZone>
      <input
        ref={input}
        type="file"
        name="file"
        accept=".csv,text/csv"
        hidden
        data-testid={testId}
        onChange={(event) => take(event.currentTarget.files?.[0])}
      />
      {problem ? <InlineError message={problem} fieldID={`${testId}Drop`} /> : null}
    </BlockStack>
  );
}

const NO_FILE_WORDS = "Choose a CSV file to check: add it or drop it above.";

/**
 * Why a file picked or dropped is refused before it is sent, or null: not a CSV by its name or type (as the drop zone's
 * `accept` reads it: a ".csv" name or a text/csv type), or over the upload limit.
 */
function refusalOf(file: File): string | null {
  const csv = file.name.toLowerCase().endsWith(".csv") || file.type === "text/csv";
  return csv ? uploadTooLarge(file.size) : notCsvWords(file.name);
}

/** The words for a file that is not a CSV by its name or type. */
function notCsvWords(name: string): string {
  return `"${name}" is not a CSV file. Save your list as CSV (comma or semicolon separated) from Excel, Numbers or Google Sheets, and add that file.`;
}

/** A file's size as a merchant reads it: "812 bytes", "14 KB", "3.2 MB". */
function fileSize(bytes: number, number: (value: number) => string): string {
  if (bytes < 1024) return `${number(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${number(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
