import { describe, expect, it } from "vitest";
import { useSandboxWithClient } from "../helpers/sandbox-with-client";

const { sandbox, app, installedShop } = useSandboxWithClient();

type Gql = Awaited<ReturnType<typeof installedShop>>["gql"];

const STAGE = `mutation S($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } }
}`;
const RUN = `mutation R($mutation: String!, $path: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
    bulkOperation { id status type } userErrors { field message code }
  }
}`;
const CUSTOMER_CREATE = `mutation call($input: CustomerInput!) {
  customerCreate(input: $input) { customer { id email tags } userErrors { field message } }
}`;

/** The app's side of a bulk import: stage a target, post the JSONL to it as a form, answer the key to run with. */
async function stage(gql: Gql, lines: unknown[], method: "POST" | "PUT" = "POST") {
  const staged = await gql(STAGE, {
    input: [
      {
        resource: "BULK_MUTATION_VARIABLES",
        filename: "bulk_op_vars.jsonl",
        mimeType: "text/jsonl",
        httpMethod: method,
      },
    ],
  });
  expect(staged.data.stagedUploadsCreate.userErrors).toEqual([]);
  const target = staged.data.stagedUploadsCreate.stagedTargets[0] as {
    url: string;
    parameters: { name: string; value: string }[];
  };
  const body = lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n");
  if (method === "PUT") {
    const put = await fetch(target.url, { method: "PUT", body, headers: { "Content-Type": "text/jsonl" } });
    expect(put.status).toBe(201);
    return new URL(target.url).pathname.replace(/^\/_sandbox\/staged-uploads\//, "");
  }
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  form.append("file", new Blob([body], { type: "text/jsonl" }), "bulk_op_vars.jsonl");
  const posted = await fetch(target.url, { method: "POST", body: form });
  expect(posted.status).toBe(201);
  expect(await posted.text()).toContain("<PostResponse>");
  return target.parameters.find((p) => p.name === "key")!.value;
}

/** The line numbers of the last result file, in the file's own order. */
let lastFileOrder: number[] = [];

async function resultLines(gql: Gql) {
  await sandbox().control.idle();
  const current = await gql(`{ currentBulkOperation(type: MUTATION) { status type objectCount url } }`);
  const op = current.data.currentBulkOperation;
  expect(op).toMatchObject({ status: "COMPLETED", type: "MUTATION" });
  const text = await (await fetch(op.url)).text();
  const lines = text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { data?: Record<string, any>; errors?: unknown[]; __lineNumber: number }); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(lines).toHaveLength(Number(op.objectCount));
  lastFileOrder = lines.map((line) => line.__lineNumber);
  // Shopify answers in no particular order; each answer names its input line.
  return lines.sort((a, b) => a.__lineNumber - b.__lineNumber);
}

describe("sandbox bulk mutations", () => {
  it("stages a JSONL on loopback, runs customerCreate per line, and answers each line with its userErrors", async () => {
    const { shop, gql } = await installedShop();
    sandbox().control.createCustomer({ shop, email: "already@example.com", firstName: "Ada" });
    await sandbox().control.idle();
    app().received.length = 0;
    const key = await stage(gql, [
      { input: { email: "one@example.com", firstName: "One", tags: ["imported"] } },
      { input: { email: "already@example.com" } },
      { input: { email: "two@example.com", phone: "not a phone" } },
      { input: { email: "three@example.com", lastName: "Three" } },
    ]);
    const run = await gql(RUN, { mutation: CUSTOMER_CREATE, path: key });
    expect(run.data.bulkOperationRunMutation).toMatchObject({
      bulkOperation: { type: "MUTATION", status: "CREATED" },
      userErrors: [],
    });
    const lines = await resultLines(gql);
    expect(lines.map((l) => l.__lineNumber)).toEqual([0, 1, 2, 3]);
    expect(lines[0]!.data!.customerCreate).toMatchObject({
      customer: { email: "one@example.com", tags: ["imported"] },
      userErrors: [],
    });
    expect(lines[1]!.data!.customerCreate).toEqual({
      customer: null,
      userErrors: [{ field: ["email"], message: "Email has already been taken" }],
    });
    expect(lines[2]!.data!.customerCreate.userErrors).toEqual([{ field: ["phone"], message: "Phone is invalid" }]);
    expect(lines[3]!.data!.customerCreate.customer.email).toBe("three@example.com");
    await sandbox().control.idle();
    expect(
      app()
        .of("customers/create")
        .map((c) => c.email),
    ).toEqual(["one@example.com", "three@example.com"]);
    expect(app().of("bulk_operations/finish")).toEqual([
      expect.objectContaining({
        admin_graphql_api_id: run.data.bulkOperationRunMutation.bulkOperation.id,
        status: "completed",
        type: "mutation",
      }),
    ]);
  });

  it("runs customerUpdate and tagsAdd in bulk from a PUT upload, with webhooks as one-by-one calls fire them", async () => {
    const { shop, gql } = await installedShop();
    const a = sandbox().control.createCustomer({ shop, email: "a@example.com" });
    const b = sandbox().control.createCustomer({ shop, email: "b@example.com" });
    await sandbox().control.idle();
    app().received.length = 0;
    const update = await stage(
      gql,
      [
        { input: { id: `gid://shopify/Customer/${a.id}`, firstName: "Alma", taxExempt: true } },
        { input: { id: "gid://shopify/Customer/1", firstName: "Nobody" } },
      ],
      "PUT",
    );
    await gql(RUN, {
      mutation: `mutation call($input: CustomerInput!) { customerUpdate(input: $input) { customer { firstName taxExempt } userErrors { field message } } }`,
      path: update,
    });
    const updated = await resultLines(gql);
    expect(updated.map((l) => l.data!.customerUpdate)).toEqual([
      { customer: { firstName: "Alma", taxExempt: true }, userErrors: [] },
      { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] },
    ]);
    const tags = await stage(gql, [
      { id: `gid://shopify/Customer/${a.id}`, tags: ["tally-member"] },
      { id: `gid://shopify/Customer/${b.id}`, tags: ["tally-member", "vip"] },
    ]);
    await gql(RUN, {
      mutation: `mutation call($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { message } } }`,
      path: tags,
    });
    expect((await resultLines(gql)).every((l) => l.data!.tagsAdd.userErrors.length === 0)).toBe(true);
    const read = await gql(`query Q($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { tags } } }`, {
      ids: [`gid://shopify/Customer/${a.id}`, `gid://shopify/Customer/${b.id}`],
    });
    expect(read.data.nodes).toEqual([{ tags: ["tally-member"] }, { tags: ["tally-member", "vip"] }]);
    await sandbox().control.idle();
    expect(
      app()
        .of("customer.tags_added")
        .map((t) => t.tags),
    ).toEqual([["tally-member"], ["tally-member", "vip"]]);
    expect(app().of("customers/update")).toHaveLength(3);
  });

  it("refuses a missing file, a query or two mutations, a file that is not JSONL, and a forged upload", async () => {
    const { gql } = await installedShop();
    const errorOf = async (mutation: string, path: string) =>
      (await gql(RUN, { mutation, path })).data.bulkOperationRunMutation.userErrors[0] as { code: string };
    expect((await errorOf(CUSTOMER_CREATE, "tmp/1/bulk/none/vars.jsonl")).code).toBe("NO_SUCH_FILE");
    const key = await stage(gql, [{ input: { email: "x@example.com" } }]);
    expect((await errorOf(`{ shop { name } }`, key)).code).toBe("INVALID_MUTATION");
    expect(
      (
        await errorOf(
          `mutation { a: tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { node { id } } b: tagsAdd(id: "gid://shopify/Customer/2", tags: ["y"]) { node { id } } }`,
          key,
        )
      ).code,
    ).toBe("INVALID_MUTATION");
    expect(
      (await errorOf(`mutation call($input: CustomerInput!) { customerCreate(input: $input) { nope } }`, key)).code,
    ).toBe("INVALID_MUTATION");
    const broken = await stage(gql, [{ input: { email: "ok@example.com" } }, "not json at all"]);
    expect((await errorOf(CUSTOMER_CREATE, broken)).code).toBe("INVALID_STAGED_UPLOAD_FILE");

    const staged = await gql(STAGE, {
      input: [
        { resource: "BULK_MUTATION_VARIABLES", filename: "vars.jsonl", mimeType: "text/jsonl", httpMethod: "POST" },
      ],
    });
    const target = staged.data.stagedUploadsCreate.stagedTargets[0];
    const form = new FormData();
    for (const { name, value } of target.parameters as { name: string; value: string }[])
      form.append(name, name === "x-goog-signature" ? "forged" : value);
    form.append("file", new Blob(["{}"]), "vars.jsonl");
    const forged = await fetch(target.url, { method: "POST", body: form });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("<Code>AccessDenied</Code>");
    const image = await gql(STAGE, { input: [{ resource: "IMAGE", filename: "a.png", mimeType: "image/png" }] });
    expect(image.data.stagedUploadsCreate.userErrors[0].field).toEqual(["input", "0", "resource"]);
  });

  it("imports a few thousand customers in one operation, each line answered, every customer findable", async () => {
    const { shop, gql } = await installedShop();
    const count = 3000;
    const key = await stage(
      gql,
      Array.from({ length: count }, (_, i) => ({ input: { email: `bulk.${i}@example.com`, firstName: `Bulk ${i}` } })),
    );
    await gql(RUN, { mutation: CUSTOMER_CREATE, path: key });
    const lines = await resultLines(gql);
    expect(lines).toHaveLength(count);
    // Every input line answered exactly once, though not in the input's order.
    expect(lines.map((l) => l.__lineNumber)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(lastFileOrder).not.toEqual(lines.map((l) => l.__lineNumber));
    expect(lines.filter((l) => l.data?.customerCreate.userErrors.length)).toEqual([]);
    const found = await gql(
      `{ customersCount { count } customers(first: 1, query: "email:bulk.2999@example.com") { nodes { firstName } } }`,
    );
    expect(found.data).toEqual({ customersCount: { count }, customers: { nodes: [{ firstName: "Bulk 2999" }] } });
    expect(sandbox().control.customer({ shop, customerId: lines[0]!.data!.customerCreate.customer.id })).toMatchObject({
      email: "bulk.0@example.com",
    });
  });

  it("upserts by email with customerSet in bulk: the same file run twice creates each customer once, and the second run is found by id range", async () => {
    const { gql } = await installedShop();
    const CUSTOMER_SET = `mutation call($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) {
      customerSet(identifier: $identifier, input: $input) { customer { id email firstName } userErrors { field message } }
    }`;
    const vars = (name: string) =>
      Array.from({ length: 300 }, (_, i) => ({
        identifier: { email: `set.${i}@example.com` },
        input: { email: `set.${i}@example.com`, firstName: `${name} ${i}` },
      }));
    const first = await gql(RUN, { mutation: CUSTOMER_SET, path: await stage(gql, vars("First")) });
    const firstIds = new Map(
      (await resultLines(gql)).map((l) => [l.__lineNumber, l.data!.customerSet.customer.id as string]),
    );
    const firstId = first.data.bulkOperationRunMutation.bulkOperation.id as string;
    const second = await gql(RUN, { mutation: CUSTOMER_SET, path: await stage(gql, vars("Second")) });
    const again = await resultLines(gql);
    expect(again.every((l) => l.data!.customerSet.customer.id === firstIds.get(l.__lineNumber))).toBe(true);
    expect(again[299]!.data!.customerSet.customer.firstName).toBe("Second 299");
    expect((await gql(`{ customersCount { count } }`)).data.customersCount.count).toBe(300);

    // What an app that lost an operation's id asks: the mutations created after one it knows, newest first.
    const numeric = firstId.split("/").at(-1);
    const later = await gql(
      `query Q($q: String!) { bulkOperations(first: 5, reverse: true, sortKey: CREATED_AT, query: $q) { nodes { id query type } } }`,
      { q: `operation_type:mutation id:>${numeric}` },
    );
    expect(later.data.bulkOperations.nodes).toEqual([
      { id: second.data.bulkOperationRunMutation.bulkOperation.id, query: CUSTOMER_SET, type: "MUTATION" },
    ]);
  });
});
