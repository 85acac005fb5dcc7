import { and, desc, eq, lt } from "drizzle-orm";
import { dataRequestDeadline, exportCsvRows, isDataRequestExpired, type ExportCsvRow } from "~/domain/privacy";
import { DomainError } from "~/domain/shared";
import { shopDateWriter } from "~/domain/shared/shop-time";
import { complianceExports, customers } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";
import { getShopTimeZone } from "../shops/get-shop.server";

export interface DataRequestRow {
  id: number;
  dataRequestId: string;
  customerGid: string;
  /** Tally's customer (customers.id), when Tally knows them. */
  customerId: number | null;
  /** How staff know the customer: name, email or Shopify id; "Erased customer" once customers/redact came. */
  customerLabel: string;
  receivedAt: string;
  /** The end of the 30 days Shopify gives to answer. */
  answerBy: string;
  expired: boolean;
}

/**
 * The shop's customers/data_request deliveries, newest first, keyset pages by id (`cursor`: the last id of the
 * previous page), each with whether its 30 days to answer have passed at `ctx.now`.
 */
export async function listDataRequests({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { cursor?: number; limit: number };
}): Promise<{ rows: DataRequestRow[]; nextCursor: number | undefined }> {
  const found = await ctx.db
    .select({
      id: complianceExports.id,
      dataRequestId: complianceExports.dataRequestId,
      customerGid: complianceExports.customerGid,
      createdAt: complianceExports.createdAt,
      customer: {
        id: customers.id,
        firstName: customers.firstName,
        lastName: customers.lastName,
        email: customers.email,
        customerGid: customers.customerGid,
        redactedAt: customers.redactedAt,
      },
    })
    .from(complianceExports)
    .leftJoin(
      customers,
      and(eq(customers.shop, complianceExports.shop), eq(customers.customerGid, complianceExports.customerGid)),
    )
    .where(and(eq(complianceExports.shop, ctx.shop), input.cursor ? lt(complianceExports.id, input.cursor) : undefined))
    .orderBy(desc(complianceExports.id))
    .limit(input.limit + 1);
  const page = found.slice(0, input.limit).map((row) => ({
    id: row.id,
    dataRequestId: row.dataRequestId,
    customerGid: row.customerGid,
    customerId: row.customer?.id ?? null,
    customerLabel: row.customer
      ? customerSubject(row.customer)
      : `Customer ${row.customerGid.split("/").pop()} (not in Tally)`,
    receivedAt: row.createdAt,
    answerBy: dataRequestDeadline(row.createdAt),
    expired: isDataRequestExpired(row.createdAt, ctx.now),
  }));
  return { rows: page, nextCursor: found.length > input.limit ? page.at(-1)?.id : undefined };
}

/**
 * One data request's export for staff to download, as JSON (`data`) or CSV lines (`csvRows`, see `exportCsvRows`).
 * Each download is in the audit trail (`privacy.export_download`: which request and format), since it hands a
 * customer's personal data to a person. Throws "not_found" for another shop's request and "gone" (410) once Shopify's
 * 30 days to answer have passed.
 */
export async function downloadDataRequestExport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: number; format: "json" | "csv" };
}): Promise<{ filename: string; data: Record<string, unknown>; csvRows: ExportCsvRow[] }> {
  const [row] = await ctx.db
    .select()
    .from(complianceExports)
    .where(and(eq(complianceExports.shop, ctx.shop), eq(complianceExports.id, input.id)));
  if (!row) throw new DomainError("not_found", "No such data request", { id: input.id });
  if (isDataRequestExpired(row.createdAt, ctx.now)) {
    const deadline = shopDateWriter(await getShopTimeZone({ ctx }))(dataRequestDeadline(row.createdAt));
    throw new DomainError("gone", `This data request expired on ${deadline}: Shopify gives 30 days to answer`, {
      id: row.id,
    });
  }
  const [customer] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, row.customerGid)));
  await inTransaction(ctx, (tx) =>
    recordAudit({
      ctx,
      tx,
      input: {
        action: "privacy.export_download",
        subject: customer ? customerSubject(customer) : row.customerGid,
        customerId: customer?.id ?? null,
        after: { dataRequestId: row.dataRequestId, format: input.format },
      },
    }),
  );
  const data = row.export as Record<string, unknown>;
  return {
    filename: `data-request-${row.dataRequestId}.${input.format}`,
    data,
    csvRows: input.format === "csv" ? exportCsvRows(data) : [],
  };
}
