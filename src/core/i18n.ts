/** The two UI languages. Core texts are written in both, side by side. */
import type { Lang, Localized } from "./model";

export function localize(lang: Lang, text: Localized): string {
  return text[lang];
}

/** Maps a locale such as `zh-CN`, `zh_CN.UTF-8` or `zh-Hans` to a UI language. */
export function langFromLocale(locale: string | undefined): Lang {
  return locale && /^zh/i.test(locale) ? "zh-cn" : "en";
}
