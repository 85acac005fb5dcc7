import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { useFormat } from "~/components/format-context";
import { SyncHealthCard } from "~/components/sync-health-card";
import { getHomeFigures } from "~/services/home/get-home-figures.server";
import { getSyncHealth } from "~/services/home/get-sync-health.server";
import { authenticate, contextFor } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const ctx = contextFor(session.shop, "staff");
  return { ...getHomeFigures({ ctx }), health: getSyncHealth({ ctx }) };
};

function Figure({ label, value }: { label: string; value: number }) {
  const format = useFormat();
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {format.number(value)}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const figures = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const revalidator = useRevalidator();
  const refreshing = useRef(false);

  useEffect(() => {
    if (refreshing.current && revalidator.state === "idle") {
      refreshing.current = false;
      shopify.toast.show("Figures refreshed");
    }
  }, [revalidator.state, shopify]);

  return (
    <Page>
      <TitleBar title="Tally">
        <button
          variant="primary"
          onClick={() => {
            refreshing.current = true;
            revalidator.revalidate();
          }}
          loading={revalidator.state === "loading" ? "" : undefined}
        >
          Refresh
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Figure label="Members" value={figures.members} />
            <Figure label="Guests" value={figures.guests} />
            <Figure label="Points outstanding" value={figures.pointsOutstanding} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <SyncHealthCard health={figures.health} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
