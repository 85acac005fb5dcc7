import { appInstallationGid } from "../theme/online-store";
import type { SettingsData } from "../theme/theme-files";
import { addAppBlock, appExtensionsStatus, removeAppBlock, setAppEmbed } from "../theme/theme-editor";
import { type ControlDeps, shopOf } from "./deps";

/**
 * The shop's online store as the merchant edits it in the theme editor: settings_data.json, app embeds switched on,
 * app blocks placed, published locales; and the app's data a block reads (`app.metafields`).
 */
export function themeControl({ shops, ops, onlineStore }: ControlDeps) {
  return {
    /** The shop's `config/settings_data.json`. */
    themeSettingsData: ({ shop }: { shop: string }) => onlineStore.settingsData(shopOf(shops, shop)),
    /** Replaces the shop's `config/settings_data.json` (422 when an app embed names no block of the app). */
    setThemeSettingsData: ({ shop, settingsData }: { shop: string; settingsData: SettingsData }) => {
      const record = shopOf(shops, shop);
      onlineStore.setSettingsData(record, settingsData);
      return onlineStore.settingsData(record);
    },
    /** A JSON template (`product`, `customers/account`) or section group (`header-group`) as the shop has it. */
    themeTemplate: ({ shop, template, sectionGroup }: { shop: string; template?: string; sectionGroup?: string }) =>
      onlineStore.sectionList(
        shopOf(shops, shop),
        sectionGroup ? `${sectionGroup}-group` : (template ?? "index"),
        sectionGroup ? "group" : "template",
      ) ?? null,
    /** Switches an app embed block on (or off with `enabled: false`), as the theme editor's toggle and Save do. */
    setAppEmbed: (input: { shop: string; handle: string; enabled?: boolean; settings?: Record<string, unknown> }) => {
      const { shop, ...rest } = input;
      return setAppEmbed(onlineStore, shopOf(shops, shop), rest);
    },
    /** Places an app block: `target` newAppsSection (default), mainSection, sectionId:{id}, sectionGroup:{name}. */
    addAppBlock: (input: {
      shop: string;
      handle: string;
      template?: string;
      target?: string;
      settings?: Record<string, unknown>;
    }) => {
      const { shop, ...rest } = input;
      return addAppBlock(onlineStore, shopOf(shops, shop), rest);
    },
    removeAppBlock: (input: {
      shop: string;
      template?: string;
      sectionGroup?: string;
      sectionId: string;
      blockId: string;
    }) => {
      const { shop, ...rest } = input;
      return removeAppBlock(onlineStore, shopOf(shops, shop), rest);
    },
    /** What App Bridge's `shopify.app.extensions()` answers the app for this shop. */
    appExtensions: ({ shop }: { shop: string }) => appExtensionsStatus(onlineStore, shopOf(shops, shop)),
    /** The locales the shop publishes (`/fr/...` storefront paths); the primary one has no prefix. */
    setShopLocales: ({ shop, primary, published }: { shop: string; primary?: string; published: string[] }) => {
      const record = shopOf(shops, shop);
      onlineStore.setLocales(record, { primary: primary ?? onlineStore.stateOf(record).locales.primary, published });
      return onlineStore.stateOf(record).locales;
    },
    /** An app-data metafield on the app's installation, which blocks read as `app.metafields.{namespace}.{key}`. */
    setAppDataMetafield: (input: { shop: string; namespace: string; key: string; type?: string; value: string }) => {
      const record = shopOf(shops, input.shop);
      return ops.metafields.set(record, [
        {
          ownerGid: appInstallationGid(record.numericId),
          namespace: input.namespace,
          key: input.key,
          type: input.type ?? "single_line_text_field",
          value: input.value,
        },
      ])[0];
    },
  };
}
