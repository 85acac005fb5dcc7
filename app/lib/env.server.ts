import { z } from "zod";
import { decodeKey } from "./token-cipher.server";

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

const required = { error: (issue: { input: unknown }) => (issue.input === undefined ? "is missing" : undefined) };

const keyMessage = "must be 32 random bytes in base64 (generate one with: openssl rand -base64 32)";
const encryptionKey = z.string().refine((text) => decodeKey(text) !== undefined, { message: keyMessage });

const envSchema = z
  .object({
    SHOPIFY_API_KEY: z.string(required).min(1),
    SHOPIFY_API_SECRET: z.string(required).min(1),
    SHOPIFY_APP_URL: z.url(required),
    SCOPES: z.string(required).min(1),
    DATABASE_PATH: z.string().min(1).default("data/tally.sqlite"),
    // PostgreSQL instead of the SQLite file, for several instances side by side (decision 034): postgres://user@host/db.
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL (leave it unset for SQLite)")
      .optional(),
    // Connections each instance keeps open to PostgreSQL.
    DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
    PORT: z.coerce.number().int().positive().default(3000),
    // The address `npm start` listens on.
    HOST: z.string().min(1).default("0.0.0.0"),
    // Background jobs (held points, metafields, reconciliation, the delivery queue's retries) in this process: "off"
    // for a process that only answers requests (tests, the webhook bench).
    TALLY_BACKGROUND_JOBS: z.enum(["on", "off"]).default("on"),
    // How often the background jobs run for every shop, and how often each shop is reconciled with Shopify.
    JOBS_INTERVAL_SECONDS: z.coerce.number().positive().default(15),
    RECONCILE_INTERVAL_SECONDS: z.coerce.number().nonnegative().default(900),
    // How long a background task's runner may go without committing a chunk before another runner (or this one after
    // a restart) takes the task over (decision 017).
    TASK_LEASE_SECONDS: z.coerce.number().positive().default(30),
    // A pause between two chunks of a background task, in milliseconds, to leave more of the process to requests.
    TASK_PAUSE_MS: z.coerce.number().int().nonnegative().default(0),
    // Where customer exports read and write their rows (decision 040): "process", a process of their own the app forks,
    // so an export takes none of the app's memory; "in-app", the app's own process (what bench:export compares).
    EXPORT_WRITER: z.enum(["process", "in-app"]).default("process"),
    // Operators (decision 025). How much the JSON log on stdout says (app/lib/log.server.ts reads it as the log starts).
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // How long SIGTERM waits for requests in flight, the scheduler's and the task runner's work in hand, then exits 1.
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().default(20),
    // /healthz answers 503 when a webhook delivery or a background task has been due this long without being taken.
    HEALTHZ_MAX_WEBHOOK_LAG_SECONDS: z.coerce.number().positive().default(120),
    HEALTHZ_MAX_TASK_LAG_SECONDS: z.coerce.number().positive().default(900),
    // On PostgreSQL, /healthz answers 503 when a pg-boss job (a webhook wake-up, a tick, a task) has waited this long.
    HEALTHZ_MAX_JOB_LAG_SECONDS: z.coerce.number().positive().default(120),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    SHOPIFY_LOG_LEVEL: z.enum(["debug", "warning"]).default("warning"),
    // Tally's Shopify App Store listing: the public pages send merchants there to install (App Store rule 2.3.1: an
    // app never asks for a shop's myshopify.com address).
    TALLY_APP_STORE_URL: z.url().default("https://apps.shopify.com/tally"),
    // The loopback sandbox Shopify (tests/sandbox). Anything but loopback is refused so a misconfigured production
    // deployment can never send a merchant's token somewhere else.
    // Where Shopify's library loads App Bridge from on its bounce pages; set to the sandbox's when it is in use.
    APP_BRIDGE_URL: z.url().optional(),
    SHOPIFY_SANDBOX_ORIGIN: z
      .url()
      .optional()
      .refine((value) => value === undefined || loopbackHosts.has(new URL(value).hostname), {
        message: "must be a loopback origin such as http://127.0.0.1:4100",
      }),
    // Seals the shops' access and refresh tokens at rest (decision 007); required in production.
    TALLY_ENCRYPTION_KEY: encryptionKey.optional(),
    // Keys that sealed tokens before a rotation, comma-separated: still opened, and re-sealed with the current key.
    TALLY_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .optional()
      .transform((text) =>
        (text ?? "")
          .split(",")
          .map((key) => key.trim())
          .filter(Boolean),
      )
      .pipe(z.array(encryptionKey)),
    // Where Tally's emails (referral invitations) go out: smtp://user:pass@host:587 or smtps://… (nodemailer's URL
    // form). Optional at boot; sending without it fails with a message naming it, and the emails wait in the outbox.
    SMTP_URL: z
      .url()
      .optional()
      .refine((value) => value === undefined || /^smtps?:$/.test(new URL(value).protocol), {
        message: "must be an smtp:// or smtps:// URL, such as smtp://user:password@smtp.example.com:587",
      }),
    // The address Tally's emails come from; the shop's name is its display name. Default: no-reply@ the app's host.
    EMAIL_FROM: z.email().optional(),
    // Emails one shop may send a minute, so a large invitation batch never floods the SMTP relay or looks like spam.
    EMAILS_PER_MINUTE: z.coerce.number().int().positive().max(10_000).default(60),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === "production" && !config.TALLY_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["TALLY_ENCRYPTION_KEY"],
        message: `is missing; production stores Shopify access tokens sealed with it, and it ${keyMessage}`,
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Parses the environment once; a missing or bad variable stops the boot with a message naming it. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Tally cannot start, the environment is incomplete:\n${problems.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
