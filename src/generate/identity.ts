import { FixedWeights, type Rng } from './prng.js';

/**
 * Believable synthetic personal identifiers (pure). Formats are real; values are random, so any collision with a
 * real person's identifier is chance. Nothing here is a real person's data.
 */

// ---- Resident identity card number (GB 11643-1999) ----

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function nationalIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] as string;
}

export function isValidNationalId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return nationalIdCheckChar(id.slice(0, 17)) === id[17];
}

/** 6-digit division code + YYYYMMDD + 3-digit sequence (odd = male) + check character. */
export function makeNationalId(rng: Rng, divisionCode: string, birth: Date, male: boolean): string {
  let seq = rng.int(0, 499) * 2 + (male ? 1 : 0);
  if (seq === 0) seq = 2;
  const ymd = `${birth.getUTCFullYear()}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
  const first17 = `${divisionCode}${ymd}${String(seq).padStart(3, '0')}`;
  return first17 + nationalIdCheckChar(first17);
}

/** Birth date for an applicant aged roughly 20–58 at `nowMs` (most 23–40). */
export function birthDate(rng: Rng, nowMs: number): Date {
  const age = Math.min(58, Math.max(20, rng.logNormal(31, 0.22)));
  const ms = nowMs - age * 365.2425 * 86_400_000;
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

// ---- Bank cards (UnionPay, Luhn) ----

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isLuhnValid(number: string): boolean {
  return /^\d{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === Number(number[number.length - 1]);
}

/** UnionPay-style debit card BINs (62xxxx) of the big banks, with the card length each issues. */
const BINS: readonly (readonly [string, number, number])[] = [
  ['622202', 19, 14],
  ['621226', 19, 6],
  ['622848', 19, 12],
  ['621700', 19, 12],
  ['623668', 19, 4],
  ['621661', 19, 8],
  ['622588', 16, 7],
  ['621483', 16, 3],
  ['622262', 19, 5],
  ['622908', 18, 3],
  ['621799', 19, 6],
  ['622155', 16, 2],
  ['621098', 19, 4],
  ['623058', 19, 2],
  ['622630', 16, 2],
];

const BIN_TABLE = new FixedWeights(
  BINS,
  BINS.map((b) => b[2]),
);

export function makeBankCard(rng: Rng): string {
  const [bin, len] = BIN_TABLE.pick(rng);
  const payload = bin + rng.digits(len - bin.length - 1);
  return payload + String(luhnCheckDigit(payload));
}

// ---- Mobile numbers ----

/** Real mainland mobile number segments; 16x/17x virtual-operator (MVNO) segments are popular with fraudsters. */
const CARRIER_SEGMENTS = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '147',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '178',
  '182',
  '183',
  '184',
  '187',
  '188',
  '195',
  '198',
  '130',
  '131',
  '132',
  '145',
  '155',
  '156',
  '166',
  '175',
  '176',
  '185',
  '186',
  '196',
  '133',
  '149',
  '153',
  '173',
  '177',
  '180',
  '181',
  '189',
  '190',
  '191',
  '193',
  '199',
] as const;
const VIRTUAL_SEGMENTS = ['170', '171', '162', '165', '167'] as const;

/** 11-digit mainland number (without country code). */
export function makeMobile(rng: Rng, virtualShare = 0.01): string {
  const seg = rng.chance(virtualShare) ? rng.pick(VIRTUAL_SEGMENTS) : rng.pick(CARRIER_SEGMENTS);
  return seg + rng.digits(8);
}

/** How partners send phone numbers: mostly E.164, some bare, a few with separators (all normalise to one value). */
export function formatPhone(rng: Rng, national: string): string {
  const r = rng.next();
  if (r < 0.82) return `+86${national}`;
  if (r < 0.95) return national;
  return `+86 ${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`;
}

export function isMainlandMobile(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone.replace(/[\s-]/g, '').replace(/^\+86/, ''));
}

// ---- Names, e-mail, addresses, employers ----

const SURNAMES: readonly (readonly [string, number])[] = [
  ['Wang', 72],
  ['Li', 71],
  ['Zhang', 68],
  ['Liu', 55],
  ['Chen', 45],
  ['Yang', 32],
  ['Huang', 24],
  ['Zhao', 23],
  ['Wu', 22],
  ['Zhou', 21],
  ['Xu', 17],
  ['Sun', 15],
  ['Ma', 15],
  ['Zhu', 14],
  ['Hu', 13],
  ['Guo', 13],
  ['He', 12],
  ['Gao', 11],
  ['Lin', 11],
  ['Luo', 10],
  ['Zheng', 10],
  ['Liang', 9],
  ['Xie', 7],
  ['Song', 7],
  ['Tang', 7],
  ['Han', 6],
  ['Feng', 6],
  ['Deng', 6],
  ['Cao', 6],
  ['Peng', 6],
  ['Zeng', 5],
  ['Xiao', 5],
  ['Tian', 5],
  ['Dong', 5],
  ['Pan', 5],
  ['Yuan', 4],
  ['Cai', 4],
  ['Jiang', 4],
  ['Yu', 4],
  ['Du', 4],
  ['Ye', 4],
  ['Cheng', 4],
  ['Wei', 3],
  ['Su', 3],
  ['Lu', 3],
  ['Ding', 3],
  ['Ren', 3],
  ['Shen', 3],
  ['Yao', 3],
  ['Fang', 3],
  ['Jin', 3],
  ['Tan', 3],
];
const SURNAME_TABLE = new FixedWeights(
  SURNAMES.map((s) => s[0]),
  SURNAMES.map((s) => s[1]),
);
const GIVEN_MALE = [
  'Wei',
  'Qiang',
  'Lei',
  'Jun',
  'Yong',
  'Jie',
  'Tao',
  'Ming',
  'Chao',
  'Hao',
  'Peng',
  'Bin',
  'Hui',
  'Gang',
  'Hua',
  'Jian',
  'Bo',
  'Long',
  'Fei',
  'Kai',
  'Xin',
  'Yu',
  'Zhiqiang',
  'Jianguo',
  'Haitao',
  'Zhiwei',
  'Jianjun',
  'Xiaolong',
  'Yifan',
  'Zihao',
  'Haoran',
  'Yuxuan',
  'Junjie',
  'Wenbo',
  'Tianyu',
  'Mingyu',
  'Jiahao',
  'Shuai',
  'Lei',
  'Dong',
] as const;
const GIVEN_FEMALE = [
  'Fang',
  'Na',
  'Min',
  'Jing',
  'Li',
  'Yan',
  'Juan',
  'Xia',
  'Ting',
  'Lin',
  'Hong',
  'Ying',
  'Hui',
  'Qian',
  'Lan',
  'Mei',
  'Xue',
  'Yu',
  'Dan',
  'Ping',
  'Xiaohong',
  'Lijuan',
  'Yuxin',
  'Zihan',
  'Yutong',
  'Xinyi',
  'Shiyu',
  'Jiayi',
  'Yiting',
  'Mengyao',
  'Siqi',
  'Wenjing',
  'Xiaoyan',
  'Lili',
  'Jingjing',
  'Tingting',
  'Yanan',
  'Ruoxi',
  'Yue',
  'Qing',
] as const;

export function makeSurname(rng: Rng): string {
  return SURNAME_TABLE.pick(rng);
}

export function makeGivenName(rng: Rng, male: boolean): string {
  return rng.pick(male ? GIVEN_MALE : GIVEN_FEMALE);
}

const MAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'foxmail.com', 'outlook.com', 'hotmail.com', 'gmail.com', 'aliyun.com', '139.com'] as const;
const MAIL_TABLE = new FixedWeights(MAIL_DOMAINS, [40, 22, 9, 4, 5, 6, 3, 2, 2, 4]);

/** Most Chinese e-mail addresses are QQ numbers or pinyin + digits. */
export function makeEmail(rng: Rng, surname: string, given: string, birthYear: number): string {
  const domain = MAIL_TABLE.pick(rng);
  if (domain === 'qq.com' && rng.chance(0.8)) return `${rng.int(1, 9)}${rng.digits(rng.int(7, 9))}@qq.com`;
  if (domain === '139.com') return `${makeMobile(rng)}@139.com`;
  const base = rng.chance(0.5) ? `${given}${surname}` : `${surname}${given}`;
  const suffix = rng.pick([String(birthYear), String(birthYear).slice(2), rng.digits(rng.int(2, 4)), '', `_${rng.digits(3)}`]);
  return `${base.toLowerCase()}${suffix}@${domain}`;
}

const STREETS = [
  'Jianguo Rd',
  'Renmin Rd',
  'Zhongshan Rd',
  'Jiefang Rd',
  'Heping Rd',
  'Xinhua Rd',
  'Changjiang Rd',
  'Huanghe Rd',
  'Wenhua Rd',
  'Dongfeng Rd',
  'Chaoyang Rd',
  'Jinxiu Rd',
  'Binhe Rd',
  'Gongye Rd',
  'Kexue Ave',
  'Shiji Ave',
  'Century Ave',
  'Xueyuan Rd',
  'Fuxing Rd',
  'Yingbin Rd',
  'Nanjing Rd',
  'Beijing Rd',
  'Hongqi Rd',
  'Xingfu St',
] as const;
const COMPOUNDS = ['Garden', 'Jiayuan', 'Xiaoqu', 'Mingyuan', 'Huating', 'Residence', 'Apartments', 'New Village'] as const;
const COMPOUND_HEADS = ['Jinxiu', 'Lvdi', 'Wanke', 'Baoli', 'Hengda', 'Bishui', 'Yangguang', 'Xiangshan', 'Huarun', 'Longhu', 'Zhonghai', 'Fuli'] as const;

export function makeAddress(rng: Rng, city: string, province: string): string {
  const unit = `Room ${rng.int(1, 32)}${String(rng.int(1, 8)).padStart(2, '0')}, Bldg ${rng.int(1, 28)}`;
  const compound = `${rng.pick(COMPOUND_HEADS)} ${rng.pick(COMPOUNDS)}`;
  const street = `${rng.int(1, 999)} ${rng.pick(STREETS)}`;
  return city === province ? `${unit}, ${compound}, ${street}, ${city}` : `${unit}, ${compound}, ${street}, ${city}, ${province}`;
}

export const BIG_EMPLOYERS = [
  'Foxconn Technology Group',
  'Meituan',
  'JD Logistics',
  'SF Express',
  'China Railway Construction',
  'BYD Company',
  'Haier Group',
  'Midea Group',
  'China Post',
  'Didi Chuxing',
  'Ele.me',
  'Hikvision',
  'Luxshare Precision',
  'Gree Electric',
  'China Mobile',
  'Industrial and Commercial Bank of China',
  'Yonghui Superstores',
  'Sunning Appliance',
  'Anta Sports',
] as const;
const COMPANY_WORDS = [
  'Xinyuan',
  'Huatai',
  'Hengxin',
  'Jiahe',
  'Ruifeng',
  'Tianyi',
  'Dingsheng',
  'Boyuan',
  'Zhongcheng',
  'Hongda',
  'Jinfeng',
  'Kaiyue',
] as const;
const INDUSTRIES = [
  'Technology',
  'Trading',
  'Logistics',
  'Construction',
  'Catering Management',
  'Electronics',
  'Property Services',
  'Textile',
  'Auto Parts',
  'Education Consulting',
  'Media',
  'Medical Devices',
] as const;

export function makeEmployer(rng: Rng, city: string): string {
  if (rng.chance(0.25)) return rng.pick(BIG_EMPLOYERS);
  return makeLocalEmployer(rng, city);
}

/** A local firm ("<city> <word> <industry> Co., Ltd."). */
export function makeLocalEmployer(rng: Rng, city: string): string {
  return `${city} ${rng.pick(COMPANY_WORDS)} ${rng.pick(INDUSTRIES)} Co., Ltd.`;
}
