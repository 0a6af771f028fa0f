import { getTranslations } from "next-intl/server";
import { requireAccount } from "@/lib/session";

export default async function Page() {
  await requireAccount();
  const t = await getTranslations("Profile");
  return <h1 className="text-2xl font-semibold">{t("title")}</h1>;
}
