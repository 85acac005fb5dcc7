import { z } from "zod";

/*
 * Rules of Tally's email outbox (decision 021): one row per (shop, customer, kind, batch), sent by a scheduled job at
 * a bounded rate per shop, retried with backoff when the SMTP server says "later" (4xx, or no answer at all), and
 * given up with its reason when it says "never" (5xx) or when the retries run out.
 */

/** What an outbox row is: a referral invitation, or a reminder of points to spend (seed 000). */
export const emailKindSchema = z.enum(["invitation", "points_reminder"]);
export type EmailKind = z.infer<typeof emailKindSchema>;

/** queued → sending → sent | failed; skipped is decided without sending (unsubscribed, not subscribed, ...). */
export type OutboxStatus = "queued" | "sending" | "sent" | "failed" | "skipped";

/** Waits after the 1st, 2nd, ... failed attempt; after the last the email is given up. Minutes: 1, 5, 30, 2 h, 6 h. */
export const retryDelaysMs = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000] as const;

export const maxSendAttempts = retryDelaysMs.length + 1;

/** When a failed attempt is tried again, or null when it was the last one allowed. `attempts` counts it. */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  const delay = retryDelaysMs[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

/**
 * How many emails a shop may send now: `perMinute` minus those sent in the last minute, never below zero. The count
 * comes from the outbox itself, so the limit holds across restarts.
 */
export function sendAllowance(perMinute: number, sentInLastMinute: number): number {
  return Math.max(0, perMinute - sentInLastMinute);
}

/** An SMTP failure as the outbox records it: permanent (5xx: never retried) or transient (4xx, network). */
export interface SendFailure {
  permanent: boolean;
  reason: string;
  responseCode?: number;
}

/** RFC 5321 §4.2.1: 5yz is a permanent negative completion reply, 4yz a transient one; no reply at all is transient. */
export function classifySmtpFailure(responseCode: number | undefined, reason: string): SendFailure {
  const permanent = responseCode !== undefined && responseCode >= 500 && responseCode < 600;
  return { permanent, reason: reason.slice(0, 500), ...(responseCode !== undefined ? { responseCode } : {}) };
}
