import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Link, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { parseOr400 } from "~/lib/parse.server";
import { listCustomers } from "~/services/customers/list-customers.server";
import { authenticate, contextFor } from "~/shopify.server";

const querySchema = z.object({ after: z.coerce.number().int().positive().optional() });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  return listCustomers({ ctx: contextFor(session.shop, "staff"), input: { after: query.after, limit: 50 } });
};

export default function Customers() {
  const { customers, nextCursor } = useLoaderData<typeof loader>();
  return (
    <Page title="Customers">
      <Card padding="0">
        {customers.length === 0 ? (
          <EmptyState heading="No customers yet" image="">
            <p>Customers appear here as Shopify tells Tally about them.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "customer", plural: "customers" }}
            itemCount={customers.length}
            selectable={false}
            headings={[
              { title: "Name" },
              { title: "Email" },
              { title: "Status" },
              { title: "Points", alignment: "end" },
            ]}
            pagination={{ hasNext: nextCursor !== undefined, nextURL: nextCursor ? `?after=${nextCursor}` : undefined }}
          >
            {customers.map((customer, index) => (
              <IndexTable.Row id={String(customer.id)} key={customer.id} position={index}>
                <IndexTable.Cell>
                  {/* dataPrimaryLink makes the whole row open the profile, through Remix's client-side navigation. */}
                  <Link dataPrimaryLink url={`/app/customers/${customer.id}`} monochrome removeUnderline>
                    <Text as="span" fontWeight="semibold">
                      {customer.name}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{customer.email ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={customer.status === "member" ? "success" : undefined}>
                    {customer.status === "member" ? "Member" : "Guest"}
                  </Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {customer.pointsBalance}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
