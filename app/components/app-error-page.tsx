import { Link, useLocation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, Page, Text } from "@shopify/polaris";

/** The admin's sections, by the first path segment after /app: where "Back to …" leads from a page inside one. */
const sections: Record<string, string> = {
  customers: "Customers",
  groups: "Groups",
  referrals: "Referrals",
  import: "Import",
  jobs: "Jobs",
  audit: "Audit log",
  settings: "Settings",
  privacy: "Privacy requests",
};

/** The section a path belongs to, or Home: `/app/import/7` → Import at `/app/import`. */
export function sectionOf(pathname: string): { label: string; to: string } {
  const segment = pathname.split("/")[2] ?? "";
  const label = sections[segment];
  return label ? { label, to: `/app/${segment}` } : { label: "Home", to: "/app" };
}

/** What a thing is called in a sentence, by its section: "import", "job", "customer". */
const things: Record<string, string> = {
  customers: "customer",
  groups: "group",
  import: "import",
  jobs: "job",
  privacy: "privacy request",
};

/**
 * Any admin page whose request was refused with a 4xx that no page of its own explains: a link to an import, job or
 * other record that does not exist (or belongs to another store), or a value Tally cannot use. It says what, in
 * words, and links back to the section it came from, inside the app's frame and navigation.
 */
export function AppErrorPage({ status, message }: { status: number; message?: string }) {
  const { pathname } = useLocation();
  const section = sectionOf(pathname);
  const segments = pathname.replace(/\/$/, "").split("/");
  // A record's own page only (`/app/groups/12`): a longer path under it (`/app/customers/1/edit/x`) is no such page,
  // not a missing customer 1.
  const thing = segments.length === 4 ? things[segments[2] ?? ""] : undefined;
  const id = segments[3];
  const notFound = status === 404 || status === 410;
  const title = notFound ? (thing ? `${capitalise(thing)} not found` : "Page not found") : "This link can't be opened";
  return (
    <Page>
      <TitleBar title={title} />
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {notFound
              ? thing && id
                ? `There is no ${thing} ${id} in Tally`
                : "There is no such page in Tally"
              : "Tally can't open this link"}
          </Text>
          <Text as="p">
            {notFound
              ? "It may belong to another store, may have been deleted, or the link is out of date."
              : (message ?? "The link has a value Tally can't use.")}
          </Text>
          <Link to={section.to}>Back to {section.label}</Link>
        </BlockStack>
      </Card>
    </Page>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
