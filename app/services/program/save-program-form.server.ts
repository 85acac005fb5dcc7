import { programSettingsFromForm, type ProgramSettingsForm } from "~/domain/program/settings-form";
import type { ServiceContext } from "../context";
import { getShopCurrency } from "../shops/get-shop.server";
import { saveProgram } from "./save-program.server";

/** The settings page's save: amounts typed in the shop currency become minor units, then `saveProgram` decides. */
export async function saveProgramForm({ ctx, input }: { ctx: ServiceContext; input: ProgramSettingsForm }) {
  return saveProgram({ ctx, input: programSettingsFromForm(input, await getShopCurrency({ ctx })) });
}
