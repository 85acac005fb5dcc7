import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { WebhookSubscription } from "./app-config";

export type Fault =
  | { kind: "duplicate"; topic?: string }
  | { kind: "reorder"; topic?: string }
  | { kind: "delay"; topic?: string; ms: number }
  | { kind: "drop-then-retry"; topic?: string; drops?: number };

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error?: string;
  dropped?: boolean;
  durationMs: number;
}

export interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  triggeredAt: string;
  body: string;
  attempts: DeliveryAttempt[];
  state: "pending" | "delivered" | "failed";
  /** The body was let go to bound memory (a settled delivery older than the newest `maxRetainedBodies`). */
  bodyDropped?: boolean;
}

export interface RetryPolicy {
  /** Delay before retry n (ms); the last entry repeats. Shopify spreads 8 tries over 4 hours; tests compress it. */
  delaysMs: number[];
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { delaysMs: [1000, 2000, 4000, 8000], maxAttempts: 8 };

/**
 * Requests in flight to the app at once; the rest wait their turn, in order. Without a bound, a bulk import's
 * 100,000 customers/create would open 100,000 sockets at once, which neither Shopify nor the machine does.
 */
const MAX_IN_FLIGHT = 32;

/** Settled deliveries keep their bodies up to this many newest; a bulk import of 100,000 customers stays in memory. */
const MAX_RETAINED_BODIES = 20_000;

export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private faults: Fault[] = [];
  private held: Delivery[] = [];
  private pending = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private trimmedUpTo = 0;
  private changesSinceTrim = 0;
  private inFlight = 0;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  private readonly waitingForSlot: (() => void)[] = [];

  constructor(
    private readonly opts: {
      apiSecret: string;
      appUrl: string;
      apiVersion: string;
      subscriptions: () => WebhookSubscription[];
      retry: RetryPolicy;
    },
  ) {}

  injectFault(fault: Fault) {
    this.faults.push(fault);
  }

  /** Sends `body` (already serialized, ids exact) to every subscription of the topic; returns the deliveries made. */
  emit(shop: string, topic: string, body: string): Delivery[] {
    const made: Delivery[] = [];
    for (const sub of this.opts.subscriptions()) {
      if (sub.topic !== topic) continue;
      const delivery: Delivery = {
        webhookId: randomUUID(),
        eventId: randomUUID(),
        topic,
        shop,
        url: new URL(sub.uri, this.opts.appUrl).toString(),
        triggeredAt: new Date().toISOString(),
        body,
        attempts: [],
        state: "pending",
      };
      this.deliveries.push(delivery);
      made.push(delivery);
      this.schedule(delivery);
    }
    this.trimBodies();
    return made;
  }

  /**
   * Lets go of the bodies of settled deliveries older than the newest MAX_RETAINED_BODIES (their metadata stays).
   * Runs every thousand emits or settles, so a long import never rescans the log for each delivery.
   */
  private trimBodies() {
    if (++this.changesSinceTrim < 1000) return;
    this.changesSinceTrim = 0;
    const keepFrom = this.deliveries.length - MAX_RETAINED_BODIES;
    let firstPending = -1;
    for (let i = this.trimmedUpTo; i < keepFrom; i++) {
      const delivery = this.deliveries[i]!;
      if (delivery.state === "pending") {
        if (firstPending < 0) firstPending = i;
      } else if (!delivery.bodyDropped) {
        delivery.body = "";
        delivery.bodyDropped = true;
      }
    }
    if (keepFrom > this.trimmedUpTo) this.trimmedUpTo = firstPending < 0 ? keepFrom : firstPending;
  }

  private takeFault(topic: string): Fault | undefined {
    const index = this.faults.findIndex((f) => !f.topic || f.topic === topic);
    return index === -1 ? undefined : this.faults.splice(index, 1)[0];
  }

  private schedule(delivery: Delivery) {
    const fault = this.takeFault(delivery.topic);
    const release = () => {
      const held = this.held.splice(0);
      for (const h of held) this.track(this.attempt(h, 0));
    };
    if (fault?.kind === "reorder") {
      this.held.push(delivery);
      return;
    }
    if (fault?.kind === "delay") {
      this.later(fault.ms, () => {
        this.track(this.attempt(delivery, 0));
        release();
      });
      return;
    }
    if (fault?.kind === "drop-then-retry") {
      this.track(this.attempt(delivery, 0, fault.drops ?? 1));
      release();
      return;
    }
    this.track(this.attempt(delivery, 0));
    if (fault?.kind === "duplicate") this.track(this.attempt(delivery, 0, 0, true));
    // A held delivery goes out after the one that followed it, so the app sees them in reverse.
    if (this.held.length && !this.held.includes(delivery)) this.later(20, release);
  }

  private later(ms: number, fn: () => void) {
    this.track(
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          fn();
          resolve();
        }, ms);
        this.timers.add(timer);
      }),
    );
  }

  private track(p: Promise<void>) {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async attempt(delivery: Delivery, tryIndex: number, dropsLeft = 0, duplicate = false): Promise<void> {
    if (this.closed) return;
    if (dropsLeft > 0) {
      delivery.attempts.push({
        at: new Date().toISOString(),
        status: null,
        dropped: true,
        error: "dropped by fault injection",
        durationMs: 0,
      });
      return this.retry(delivery, tryIndex, dropsLeft - 1);
    }
    await this.slot();
    if (this.closed) return this.release();
    const sentAt = Date.now();
    try {
      const status = await this.post(delivery.url, delivery.body, this.headersFor(delivery));
      delivery.attempts.push({ at: new Date(sentAt).toISOString(), status, durationMs: Date.now() - sentAt });
      if (status >= 200 && status < 300) {
        delivery.state = "delivered";
        this.trimBodies();
        return;
      }
    } catch (error) {
      delivery.attempts.push({
        at: new Date(sentAt).toISOString(),
        status: null,
        error: error instanceof Error ? error.message : String(error),
        durationMs: Date.now() - sentAt,
      });
    } finally {
      this.release();
    }
    if (!duplicate) return this.retry(delivery, tryIndex, 0);
  }

  /**
   * POSTs one delivery over a kept-alive connection and answers the status, failing after Shopify's 5 s budget. Plain
   * node:http rather than fetch: a bulk import's hundred thousand deliveries then cost sockets, not gigabytes.
   */
  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const target = new URL(url);
    const secure = target.protocol === "https:";
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(
        target,
        {
          method: "POST",
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
          timeout: 5000,
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
          response.on("error", reject);
        },
      );
      request.on("timeout", () => request.destroy(new Error("timed out after 5 s")));
      request.on("error", reject);
      request.end(body);
    });
  }

  private async slot() {
    if (this.inFlight < MAX_IN_FLIGHT) {
      this.inFlight++;
      return;
    }
    // release() hands its slot straight to the next in line.
    await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
  }

  private release() {
    const next = this.waitingForSlot.shift();
    if (next) next();
    else this.inFlight--;
  }

  private retry(delivery: Delivery, tryIndex: number, dropsLeft: number): Promise<void> {
    const { delaysMs, maxAttempts } = this.opts.retry;
    if (tryIndex + 1 >= maxAttempts) {
      delivery.state = "failed";
      this.trimBodies();
      return Promise.resolve();
    }
    const delay = delaysMs[Math.min(tryIndex, delaysMs.length - 1)] ?? 1000;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(delivery, tryIndex + 1, dropsLeft).then(resolve);
      }, delay);
      this.timers.add(timer);
    });
  }

  headersFor(delivery: Delivery): Record<string, string> {
    return {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": delivery.topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", this.opts.apiSecret).update(delivery.body, "utf8").digest("base64"),
      "X-Shopify-Shop-Domain": delivery.shop,
      "X-Shopify-API-Version": this.opts.apiVersion,
      "X-Shopify-Webhook-Id": delivery.webhookId,
      "X-Shopify-Event-Id": delivery.eventId,
      "X-Shopify-Triggered-At": delivery.triggeredAt,
    };
  }

  /** Resolves once every delivery has either succeeded or used up its retries (held reorders are flushed). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.held.length) for (const h of this.held.splice(0)) this.track(this.attempt(h, 0));
      if (this.pending.size === 0) return;
      await Promise.allSettled([...this.pending]);
    }
  }

  close() {
    this.closed = true;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
