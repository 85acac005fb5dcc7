import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Layout, Page, Tag, Text } from "@shopify/polaris";
import { findShop } from "~/services/shops/get-shop.server";
import { authenticate, contextFor } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = findShop({ ctx: contextFor(session.shop, "staff") });
  return {
    shop: session.shop,
    installedAt: shop?.installedAt ?? null,
    scopes: (shop?.scope ?? session.scope ?? "").split(",").filter(Boolean),
  };
};

export default function Settings() {
  const { shop, installedAt, scopes } = useLoaderData<typeof loader>();
  return (
    <Page title="Settings">
      <Layout>
        <Layout.AnnotatedSection title="Installation" description="What Shopify granted Tally on this store.">
          <Card>
            <BlockStack gap="300">
              <Text as="p">
                <Text as="span" fontWeight="semibold">
                  Store:
                </Text>{" "}
                {shop}
              </Text>
              <Text as="p">
                <Text as="span" fontWeight="semibold">
                  Installed:
                </Text>{" "}
                {installedAt ? new Date(installedAt).toLocaleString("en-US") : "not recorded yet"}
              </Text>
              <InlineStack gap="200">
                {scopes.map((scope) => (
                  <Tag key={scope}>{scope}</Tag>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
