import { isRouteErrorResponse, Link, useLocation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, List, Page, Text } from "@shopify/polaris";

/** The JSON a 4xx carries (app/lib/errors.server.ts's DomainErrorBody, read loosely: the boundary sees any data). */
interface ErrorData {
  error?: string;
  issues?: Array<{ path: string; message: string }>;
}

/**
 * What an admin page shows when its request was refused with a 4xx (a filter value out of range in the URL, an id
 * that is not a number): what was wrong per parameter when the refusal lists it (else its reason), and a link to the
 * same page without the query, so a merchant is never left on a bare status code. `title` names the page; `backTo` is
 * where the link goes; `issueWords` says one parameter's problem in the page's words (default "name: reason").
 */
export function RequestErrorPage({
  title,
  status,
  data,
  backTo,
  backLabel,
  issueWords = (path, message) => (path ? `${path}: ${message}` : message),
}: {
  title: string;
  status: number;
  data: unknown;
  backTo?: string;
  backLabel?: string;
  issueWords?: (path: string, message: string) => string;
}) {
  const location = useLocation();
  const body = (typeof data === "object" && data !== null ? data : {}) as ErrorData;
  const issues = Array.isArray(body.issues) ? body.issues : [];
  return (
    <Page>
      <TitleBar title={title} />
      <Card>
        <BlockStack gap="300">
          <Banner tone="warning" title={status === 404 ? "Not found" : "This page's link has a value Tally can't use"}>
            <BlockStack gap="200">
              {/* The list says what the summary ("Bad request") would only name. */}
              {issues.length > 0 ? (
                <List>
                  {issues.map((issue) => (
                    <List.Item key={`${issue.path}:${issue.message}`}>
                      {issueWords(issue.path, issue.message)}
                    </List.Item>
                  ))}
                </List>
              ) : (
                body.error && <Text as="p">{body.error}</Text>
              )}
            </BlockStack>
          </Banner>
          <Link to={backTo ?? location.pathname}>{backLabel ?? `Open ${title} without these filters`}</Link>
        </BlockStack>
      </Card>
    </Page>
  );
}

/**
 * What an admin page shows for a record that is not the shop's (a 404 from its loader): what is missing, why that
 * may be, and the breadcrumb back to its list. `what` is the record's name ("Customer"), `why` the sentence saying
 * where it may have gone.
 */
export function NotFoundPage({
  what,
  why,
  backTo,
  backLabel,
}: {
  what: string;
  why: string;
  backTo: string;
  backLabel: string;
}) {
  return (
    <Page>
      <TitleBar title={`${what} not found`}>
        <Link variant="breadcrumb" to={backTo}>
          {backLabel}
        </Link>
      </TitleBar>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            This {what.toLowerCase()} is not in Tally
          </Text>
          <Text as="p">{why}</Text>
        </BlockStack>
      </Card>
    </Page>
  );
}

/**
 * A customer page's refusal (the profile, its edit form): a customer not in Tally as `NotFoundPage`, another 4xx as
 * `RequestErrorPage`, both with the way back to Customers; null for anything else, which the route's boundary shows
 * as Shopify's library does.
 */
export function customerErrorPage(error: unknown) {
  if (isRouteErrorResponse(error) && error.status === 404)
    return (
      <NotFoundPage
        what="Customer"
        why="They may belong to another store, or the link is out of date."
        backTo="/app/customers"
        backLabel="Customers"
      />
    );
  if (isRouteErrorResponse(error) && error.status >= 400 && error.status < 500)
    return (
      <RequestErrorPage
        title="Customer"
        status={error.status}
        data={error.data}
        backTo="/app/customers"
        backLabel="Back to Customers"
      />
    );
  return null;
}
