/**
 * Region-name normalisation for comparing what an applicant typed with what an IP database says (pure).
 * DB-IP uses short English names ("Zhejiang", "Inner Mongolia", "Xinjiang"); applicants in China usually type
 * Chinese ("浙江省", "内蒙古自治区"). Mainland provincial-level divisions are mapped to one key; elsewhere only
 * case, spacing, punctuation and common suffixes are ignored.
 */
const CN_PROVINCES: readonly [string, string][] = [
  ['北京', 'beijing'],
  ['天津', 'tianjin'],
  ['上海', 'shanghai'],
  ['重庆', 'chongqing'],
  ['河北', 'hebei'],
  ['山西', 'shanxi'],
  ['辽宁', 'liaoning'],
  ['吉林', 'jilin'],
  ['黑龙江', 'heilongjiang'],
  ['江苏', 'jiangsu'],
  ['浙江', 'zhejiang'],
  ['安徽', 'anhui'],
  ['福建', 'fujian'],
  ['江西', 'jiangxi'],
  ['山东', 'shandong'],
  ['河南', 'henan'],
  ['湖北', 'hubei'],
  ['湖南', 'hunan'],
  ['广东', 'guangdong'],
  ['海南', 'hainan'],
  ['四川', 'sichuan'],
  ['贵州', 'guizhou'],
  ['云南', 'yunnan'],
  ['陕西', 'shaanxi'],
  ['甘肃', 'gansu'],
  ['青海', 'qinghai'],
  ['内蒙古', 'innermongolia'],
  ['广西', 'guangxi'],
  ['西藏', 'tibet'],
  ['宁夏', 'ningxia'],
  ['新疆', 'xinjiang'],
];
const CN_BY_HAN = new Map(CN_PROVINCES);

const CN_SUFFIX = /(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/u;
const EN_SUFFIX = /(province|municipality|autonomousregion|specialadministrativeregion|sar|district|shi|sheng)$/;
const EN_ALIAS: Readonly<Record<string, string>> = { xizang: 'tibet', neimenggu: 'innermongolia', nelmongol: 'innermongolia' };

/** A comparison key, or null for an empty value. */
export function regionKey(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  let s = name.normalize('NFKC').trim();
  if (s === '') return null;
  const han = s.replace(CN_SUFFIX, '');
  const cn = CN_BY_HAN.get(han);
  if (cn !== undefined) return cn;
  s = s.toLowerCase().replace(/[\s\p{P}]+/gu, '');
  const stripped = s.replace(EN_SUFFIX, '');
  const key = stripped === '' ? s : stripped;
  return EN_ALIAS[key] ?? key;
}

/** An ISO 3166-2 subdivision code like geoip-lite's "ZJ" cannot be compared with a typed name. */
export function looksLikeRegionCode(name: string): boolean {
  return /^[A-Z0-9]{1,3}$/.test(name.trim());
}
