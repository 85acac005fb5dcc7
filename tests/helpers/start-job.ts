import { expect } from "vitest";
import { action as startJob } from "~/routes/app.jobs._index";
import { postAsAdmin } from "./route-answers";

/**
 * Staff press a bulk action: POST /app/jobs as the directory does (`kind`, its `input` as JSON, the form's request id),
 * which redirects to the job's page. Answers the job's id.
 */
export async function startFromDirectory(
  shop: string,
  kind: string,
  input: unknown,
  requestId: string,
): Promise<number> {
  const body = new URLSearchParams({ kind, input: JSON.stringify(input), requestId });
  const response = await postAsAdmin(startJob, shop, "/app/jobs", body);
  expect(response.status).toBe(302);
  return Number(/\/app\/jobs\/(\d+)$/.exec(response.headers.get("Location") ?? "")?.[1]);
}
