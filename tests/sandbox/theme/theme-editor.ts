import { randomBytes } from "node:crypto";
import { SandboxError } from "../operations/index";
import type { ShopRecord } from "../shops";
import type { ThemeAppExtension } from "./extensions";
import type { LiquidFile } from "./liquid-files";
import { resolveSchemaStrings } from "./locales";
import { placementAllows, type OnlineStore } from "./online-store";
import type { BlockData, SectionList } from "./theme-files";

/**
 * What the theme editor does for an app's blocks, on a shop's published theme: switch an app embed block on or off
 * (settings_data.json `current.blocks`), place an app block in a JSON template or section group, and report each
 * block's status as App Bridge's `shopify.app.extensions()` does (@shopify/app-bridge-types `ExtensionInfo`).
 */

export interface ThemeAppBlockActivation {
  target: string;
  themeId: string;
}

export interface ThemeExtensionActivation {
  target: "section" | "head" | "body" | "compliance_head";
  handle: string;
  name: string;
  status: "active" | "available" | "unavailable";
  activations: ThemeAppBlockActivation[];
}

export interface ExtensionInfo {
  handle: string;
  type: "theme_app_extension";
  activations: ThemeExtensionActivation[];
}

/** Where a deep link's `target` puts a new app block (shopify.dev, theme app extensions: "Deep linking"). */
export type AppBlockTarget = "newAppsSection" | "mainSection" | `sectionId:${string}` | `sectionGroup:${string}`;

const randomKey = (length = 6) =>
  randomBytes(length)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .padEnd(length, "x")
    .slice(0, length);

const snake = (s: string) => s.replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();

interface Placement {
  kind: "template" | "group";
  name: string;
  sectionId: string;
  blockId: string;
}

/** Every JSON template and section group name the shop's theme has. */
function listNames(store: OnlineStore, shop: ShopRecord) {
  const state = store.stateOf(shop);
  return {
    templates: [...new Set([...store.theme.templates.keys(), ...state.templates.keys()])].sort(),
    groups: [...new Set([...store.theme.groups.keys(), ...state.groups.keys()])].sort(),
  };
}

/** Where an app block of this type is placed in the shop's theme. */
export function placementsOf(store: OnlineStore, shop: ShopRecord, type: string): Placement[] {
  const found: Placement[] = [];
  const { templates, groups } = listNames(store, shop);
  const scan = (kind: "template" | "group", name: string) => {
    const list = store.sectionList(shop, name, kind);
    for (const [sectionId, section] of Object.entries(list?.sections ?? {})) {
      if (section.disabled) continue;
      for (const [blockId, block] of Object.entries(section.blocks ?? {}))
        if (block.type === type && !block.disabled) found.push({ kind, name, sectionId, blockId });
    }
  };
  for (const name of templates) scan("template", name);
  for (const name of groups) scan("group", name);
  return found;
}

/** The app embed block entries of settings_data for this type. */
function embedEntries(store: OnlineStore, shop: ShopRecord, type: string) {
  return Object.entries(store.stateOf(shop).settingsData.current.blocks ?? {}).filter(([, b]) => b.type === type);
}

function isAvailable(store: OnlineStore, shop: ShopRecord, extension: ThemeAppExtension, file: LiquidFile) {
  const condition = file.schema?.available_if;
  if (!condition) return true;
  return store.evaluateAvailableIf(shop, extension, condition);
}

/** `shopify.app.extensions()` for a shop: every theme app extension, each block with its status and placements. */
export function appExtensionsStatus(store: OnlineStore, shop: ShopRecord): ExtensionInfo[] {
  const themeId = store.stateOf(shop).themeId;
  return store.extensions.map((extension) => ({
    handle: extension.handle,
    type: "theme_app_extension",
    activations: [...extension.blocks.entries()].flatMap(([handle, file]) => {
      const target = extension.targetOf(file);
      if (!target) return [];
      const type = store.blockType(extension, handle);
      const activations =
        target === "section"
          ? placementsOf(store, shop, type).map((p) => ({
              target: `${p.kind === "template" ? "template" : "section_group"}--${p.name}/${p.sectionId}/${p.blockId}`,
              themeId,
            }))
          : embedEntries(store, shop, type)
              .filter(([, b]) => !b.disabled)
              .map(([key]) => ({ target: `settings_data/${key}`, themeId }));
      const status: ThemeExtensionActivation["status"] = !isAvailable(store, shop, extension, file)
        ? "unavailable"
        : activations.length
          ? "active"
          : "available";
      const name = resolveSchemaStrings(
        file.schema?.name ?? handle,
        extension.locales,
        extension.locales.defaultSchemaLocale,
      );
      return [{ target, handle, name, status, activations }];
    }),
  }));
}

/**
 * Switches an app embed block on or off as the theme editor's App embeds toggle and Save do: the first time, a new
 * `current.blocks` entry with the schema's default settings; later, its `disabled` flag. `settings` override values.
 * Throws a SandboxError for a block that is not an app embed of the app.
 */
export function setAppEmbed(
  store: OnlineStore,
  shop: ShopRecord,
  input: { handle: string; enabled?: boolean; settings?: Record<string, unknown> },
) {
  const found = store.appBlockByHandle(input.handle);
  if (!found) throw new SandboxError(`No app embed block ${input.handle} in ${store.app.name}'s theme app extensions`);
  const target = found.extension.targetOf(found.file);
  if (target === "section" || target === null)
    throw new SandboxError(`${input.handle} is an app block (target ${target ?? "none"}), not an app embed block`);
  const enabled = input.enabled ?? true;
  const data = store.settingsData(shop);
  const blocks = (data.current.blocks ??= {});
  const existing = Object.entries(blocks).find(([, b]) => b.type === found.type);
  const key = existing?.[0] ?? String(BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000)));
  const entry: BlockData = existing?.[1] ?? { type: found.type, settings: defaultSettings(found.file) };
  entry.disabled = !enabled;
  entry.settings = { ...entry.settings, ...input.settings };
  blocks[key] = entry;
  store.setSettingsData(shop, data);
  return { blockId: key, type: found.type, enabled, settings: entry.settings };
}

function defaultSettings(file: LiquidFile): Record<string, unknown> {
  return Object.fromEntries(
    (file.schema?.settings ?? []).filter((s) => s.id && s.default !== undefined).map((s) => [s.id!, s.default]),
  );
}

const acceptsAppBlocks = (store: OnlineStore, sectionType: string) =>
  Boolean(store.theme.sections.get(sectionType)?.schema?.blocks?.some((b) => b.type === "@app"));

/**
 * Places an app block as the theme editor does after a deep link (`addAppBlockId`, `target`, `template`):
 * `newAppsSection` adds an Apps section to the template, `sectionGroup:{header|footer|aside}` one to that group,
 * `mainSection` puts the block in the template's main section, `sectionId:{id}` in that section. Throws a
 * SandboxError when the block is not an app block, the template does not exist or the section takes no app blocks.
 */
export function addAppBlock(
  store: OnlineStore,
  shop: ShopRecord,
  input: { handle: string; template?: string; target?: string; settings?: Record<string, unknown> },
) {
  const found = store.appBlockByHandle(input.handle);
  if (!found) throw new SandboxError(`No app block ${input.handle} in ${store.app.name}'s theme app extensions`);
  if (found.extension.targetOf(found.file) !== "section")
    throw new SandboxError(`${input.handle} is an app embed block, not an app block: switch it on instead`);
  const template = input.template ?? "index";
  const target = input.target ?? "newAppsSection";
  const group = /^sectionGroup:(.+)$/.exec(target)?.[1];
  const kind = group ? "group" : "template";
  const listName = group ? `${group}-group` : template;
  const original = store.sectionList(shop, listName, kind);
  if (!original)
    throw new SandboxError(group ? `The theme has no ${group} section group` : `The theme has no template ${template}`);
  const list: SectionList = structuredClone(original);
  let sectionId: string;
  if (target === "newAppsSection" || group) {
    if (!store.theme.sections.has("apps"))
      throw new SandboxError("The theme has no Apps section (sections/apps.liquid)");
    sectionId = `apps_${randomKey()}`;
    list.sections[sectionId] = { type: "apps", settings: { include_margins: true }, blocks: {}, block_order: [] };
    list.order.push(sectionId);
  } else if (target === "mainSection") {
    sectionId =
      Object.keys(list.sections).find((key) => key === "main" || list.sections[key]!.type.startsWith("main-")) ?? "";
    if (!sectionId) throw new SandboxError(`The ${template} template has no main section`);
  } else if (target.startsWith("sectionId:")) {
    sectionId = target.slice("sectionId:".length);
    if (!list.sections[sectionId]) throw new SandboxError(`The ${template} template has no section ${sectionId}`);
  } else {
    throw new SandboxError(
      `Unknown target ${target}: newAppsSection, mainSection, sectionId:{id} or sectionGroup:{name}`,
    );
  }
  const location = {
    template: kind === "template" ? template.split(".")[0]! : "",
    group: group ? (list.type ?? group) : null,
  };
  if (!placementAllows(found.file.schema, location))
    throw new SandboxError(
      `${input.handle} cannot be added to ${group ? `the ${group} group` : `the ${template} template`} (its schema's enabled_on/disabled_on)`,
    );
  const section = list.sections[sectionId]!;
  if (!acceptsAppBlocks(store, section.type))
    throw new SandboxError(`Section ${sectionId} (${section.type}) does not accept app blocks`);
  const blockId = `${snake(store.app.handle)}_${snake(input.handle)}_${randomKey()}`;
  section.blocks = {
    ...section.blocks,
    [blockId]: { type: found.type, settings: { ...defaultSettings(found.file), ...input.settings } },
  };
  section.block_order = [...(section.block_order ?? []), blockId];
  store.saveSectionList(shop, listName, kind, list);
  return {
    template: kind === "template" ? template : null,
    sectionGroup: group ?? null,
    sectionId,
    blockId,
    target: `${kind === "template" ? "template" : "section_group"}--${listName}/${sectionId}/${blockId}`,
  };
}

/** Removes an app block the merchant placed (the editor's "Remove block"); throws when it is not there. */
export function removeAppBlock(
  store: OnlineStore,
  shop: ShopRecord,
  input: { template?: string; sectionGroup?: string; sectionId: string; blockId: string },
) {
  const kind = input.sectionGroup ? "group" : "template";
  const name = input.sectionGroup ? `${input.sectionGroup}-group` : (input.template ?? "index");
  const original = store.sectionList(shop, name, kind);
  const section = original?.sections[input.sectionId];
  if (!original || !section?.blocks?.[input.blockId])
    throw new SandboxError(`No block ${input.blockId} in section ${input.sectionId} of ${name}`);
  const list = structuredClone(original);
  const copy = list.sections[input.sectionId]!;
  delete copy.blocks![input.blockId];
  copy.block_order = (copy.block_order ?? []).filter((id) => id !== input.blockId);
  // An Apps section left empty goes too, as the editor removes it with its last block.
  if (copy.type === "apps" && copy.block_order.length === 0) {
    delete list.sections[input.sectionId];
    list.order = list.order.filter((id) => id !== input.sectionId);
  }
  store.saveSectionList(shop, name, kind, list);
  return { removed: input.blockId };
}
