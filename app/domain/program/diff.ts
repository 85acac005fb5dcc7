import type { CurrencyCode } from "~/domain/shared";
import type { EarningRate } from "./reversal";
import type { ProgramSettings, RedeemOption } from "./settings";

/**
 * What changed between two versions of a program, for Settings' version history ("Sign-up bonus 100 → 150 points;
 * excluded tags added: wholesale"). `diffProgramSettings` finds the changes; `describeProgramChanges` words them with
 * the admin's formatter, so amounts and points read as everywhere else in the admin. Both are pure.
 *
 * Rewards are matched by id (kept across edits: issued rewards point at it), tags case-insensitively (Shopify's tags
 * are), so renaming a reward is a change to it, not a removal and an addition.
 */
export type ProgramChange =
  | { kind: "enabled"; after: boolean }
  | { kind: "name"; field: "pointsName" | "pointName"; before: string; after: string }
  | { kind: "signupBonus"; before: number; after: number }
  | { kind: "earningRate"; before: EarningRate; after: EarningRate }
  | { kind: "pendingDays"; before: number; after: number }
  | { kind: "toggle"; field: "guestsEarn" | "guestsRedeem" | "returnRedeemedPoints"; after: boolean }
  | { kind: "excludedTags"; added: string[]; removed: string[] }
  | { kind: "rewardAdded"; reward: RedeemOption }
  | { kind: "rewardRemoved"; reward: RedeemOption }
  | { kind: "rewardChanged"; before: RedeemOption; after: RedeemOption }
  | { kind: "rewardsReordered" };

/** The admin formatter's part the wording needs (see app/lib/format.ts). */
export interface ChangeWording {
  number(value: number): string;
  points(value: number): string;
  money(amountMinor: number, currency: string): string;
}

export function diffProgramSettings(before: ProgramSettings, after: ProgramSettings): ProgramChange[] {
  const changes: ProgramChange[] = [];
  if (before.enabled !== after.enabled) changes.push({ kind: "enabled", after: after.enabled });
  for (const field of ["pointsName", "pointName"] as const) {
    if (before[field] !== after[field])
      changes.push({ kind: "name", field, before: before[field], after: after[field] });
  }
  if (before.signupBonus !== after.signupBonus) {
    changes.push({ kind: "signupBonus", before: before.signupBonus, after: after.signupBonus });
  }
  if (before.pointsPerUnit !== after.pointsPerUnit || before.unitMinor !== after.unitMinor) {
    changes.push({
      kind: "earningRate",
      before: { pointsPerUnit: before.pointsPerUnit, unitMinor: before.unitMinor },
      after: { pointsPerUnit: after.pointsPerUnit, unitMinor: after.unitMinor },
    });
  }
  if (before.pendingDays !== after.pendingDays) {
    changes.push({ kind: "pendingDays", before: before.pendingDays, after: after.pendingDays });
  }
  for (const field of ["guestsEarn", "guestsRedeem", "returnRedeemedPoints"] as const) {
    if (before[field] !== after[field]) changes.push({ kind: "toggle", field, after: after[field] });
  }
  const tagKeys = (tags: string[]) => new Set(tags.map((tag) => tag.toLowerCase()));
  const beforeTags = tagKeys(before.excludedTags);
  const afterTags = tagKeys(after.excludedTags);
  const added = after.excludedTags.filter((tag) => !beforeTags.has(tag.toLowerCase()));
  const removed = before.excludedTags.filter((tag) => !afterTags.has(tag.toLowerCase()));
  if (added.length > 0 || removed.length > 0) changes.push({ kind: "excludedTags", added, removed });

  const beforeRewards = new Map(before.redeemOptions.map((option) => [option.id, option]));
  const afterIds = new Set(after.redeemOptions.map((option) => option.id));
  for (const option of before.redeemOptions) {
    if (!afterIds.has(option.id)) changes.push({ kind: "rewardRemoved", reward: option });
  }
  for (const option of after.redeemOptions) {
    const previous = beforeRewards.get(option.id);
    if (!previous) changes.push({ kind: "rewardAdded", reward: option });
    else if (canonical(previous) !== canonical(option)) {
      changes.push({ kind: "rewardChanged", before: previous, after: option });
    }
  }
  const kept = (options: RedeemOption[], other: Set<string>) =>
    options.filter((option) => other.has(option.id)).map((option) => option.id);
  const beforeIds = new Set(before.redeemOptions.map((option) => option.id));
  if (kept(before.redeemOptions, afterIds).join() !== kept(after.redeemOptions, beforeIds).join()) {
    changes.push({ kind: "rewardsReordered" });
  }
  return changes;
}

// Stored versions and parsed forms may list a reward's keys in different orders; equality must not care.
const canonical = (option: RedeemOption) => JSON.stringify(option, Object.keys(option).sort());

const nameLabels = { pointsName: "Points name", pointName: "Singular points name" } as const;
const toggleWords = {
  guestsEarn: ["Guests now earn points", "Guests no longer earn points"],
  guestsRedeem: ["Guests can now redeem", "Guests can no longer redeem"],
  returnRedeemedPoints: [
    "Redeemed points now return on refunds and cancellations",
    "Redeemed points no longer return on refunds and cancellations",
  ],
} as const;

const days = (count: number, wording: ChangeWording) => `${wording.number(count)} ${count === 1 ? "day" : "days"}`;

function rewardValue(option: RedeemOption, currency: CurrencyCode, wording: ChangeWording): string {
  switch (option.kind) {
    case "fixed_amount_off":
      return `${wording.money(option.amountMinor, currency)} off`;
    case "store_credit":
      return `${wording.money(option.amountMinor, currency)} store credit`;
    case "percent_off":
      return `${option.percent}% off`;
    case "free_shipping":
      return "free shipping";
  }
}

function rewardEdits(before: RedeemOption, after: RedeemOption, currency: CurrencyCode, wording: ChangeWording) {
  const edits: string[] = [];
  if (before.title !== after.title) edits.push(`renamed “${after.title}”`);
  const beforeValue = rewardValue(before, currency, wording);
  const afterValue = rewardValue(after, currency, wording);
  if (beforeValue !== afterValue) edits.push(`${beforeValue} → ${afterValue}`);
  if (before.pointsCost !== after.pointsCost) {
    edits.push(`cost ${wording.number(before.pointsCost)} → ${wording.points(after.pointsCost)}`);
  }
  if (before.minimumSubtotalMinor !== after.minimumSubtotalMinor) {
    const minimum = (minor: number) => (minor === 0 ? "none" : wording.money(minor, currency));
    edits.push(`minimum order ${minimum(before.minimumSubtotalMinor)} → ${minimum(after.minimumSubtotalMinor)}`);
  }
  return edits;
}

/** One sentence-case phrase per change, in the order of the settings page. */
export function describeProgramChange(change: ProgramChange, currency: CurrencyCode, wording: ChangeWording): string {
  switch (change.kind) {
    case "enabled":
      return change.after ? "Program turned on" : "Program turned off";
    case "name":
      return `${nameLabels[change.field]} ${change.before} → ${change.after}`;
    case "signupBonus":
      return `Sign-up bonus ${wording.number(change.before)} → ${wording.points(change.after)}`;
    case "earningRate": {
      const rate = (r: EarningRate) => `${wording.points(r.pointsPerUnit)} per ${wording.money(r.unitMinor, currency)}`;
      return `Earning rate ${rate(change.before)} → ${rate(change.after)}`;
    }
    case "pendingDays":
      return `Pending period ${days(change.before, wording)} → ${days(change.after, wording)}`;
    case "toggle":
      return toggleWords[change.field][change.after ? 0 : 1];
    case "excludedTags":
      return [
        change.added.length > 0 ? `Excluded tags added: ${change.added.join(", ")}` : null,
        change.removed.length > 0 ? `excluded tags removed: ${change.removed.join(", ")}` : null,
      ]
        .filter(Boolean)
        .join("; ")
        .replace(/^e/, "E");
    case "rewardAdded":
      return `Reward added: “${change.reward.title}” (${rewardValue(change.reward, currency, wording)} for ${wording.points(change.reward.pointsCost)})`;
    case "rewardRemoved":
      return `Reward removed: “${change.reward.title}”`;
    case "rewardChanged":
      return `Reward “${change.before.title}”: ${rewardEdits(change.before, change.after, currency, wording).join(", ")}`;
    case "rewardsReordered":
      return "Rewards reordered";
  }
}

/** The changes as one line: "Sign-up bonus 100 → 150 points; excluded tags added: wholesale". */
export function describeProgramChanges(
  changes: readonly ProgramChange[],
  currency: CurrencyCode,
  wording: ChangeWording,
): string {
  return changes
    .map((change, index) => {
      const phrase = describeProgramChange(change, currency, wording);
      return index === 0 ? phrase : phrase.charAt(0).toLowerCase() + phrase.slice(1);
    })
    .join("; ");
}
