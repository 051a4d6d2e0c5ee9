package org.govind.generate;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Word pools. Person names are built only from {@link #SURNAMES}, {@link #DOUBLE_SURNAMES} and
 * {@link #GIVEN}; every other text (compounds, communities, companies, branches, complaint texts)
 * only from characters outside those pools, so a person's name never occurs inside another text.
 */
final class Names {
    private Names() {}

    /** Single-character surnames, roughly by frequency (earlier = more common). */
    static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            + "苏魏吕丁沈姚卢姜崔钟谭陆汪范石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯史陶黎贺顾毛郝龚邵钱严武戴孔汤";
    static final String[] DOUBLE_SURNAMES = {"上官", "诸葛", "端木", "慕容", "令狐", "皇甫", "尉迟"};
    static final String GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂玉萍红建华国志文斌辉鹏飞峰波宇浩凯俊鑫婷雪琳晶"
            + "倩颖慧莉燕宁玲丹亮庆成龙海忠义德胜琴兵冬梅春松涵子怡思雨欣梓博睿晨昊然诗悦萱铭振永秋菊凤娥云霖彬琦璐妍娇哲杉岚瑶蕾薇莹";

    static final String[] COMPOUND_STEMS = {
        "锦绣", "幸福", "和谐", "阳光", "祥瑞", "泰康", "盛世", "御景", "翠湖", "馨逸", "碧水", "蓝湾", "紫荆", "星河",
        "滨湖", "东湖", "南湖", "北辰", "中央", "新城", "嘉禾", "富贵", "汇丰", "恒泰", "众合", "润泽", "观澜", "山水",
        "溪岸", "泉舍", "乐居", "安居", "康乐", "惠民", "鸿运", "兴隆", "通达", "昌盛", "广源", "融创", "科苑", "信诚",
        "宏远", "银河", "绿洲", "梧桐", "橡树", "桃源", "杏坛", "柳岸", "荷塘", "天骄", "金色", "翡翠", "香榭", "雅居",
        "盛景", "尚品", "御府", "泰和", "万象", "朝阳", "清河", "湖畔", "百合", "紫园", "丰泽", "东苑", "西城", "南山",
        "北园", "青年", "幸运", "吉祥", "如意", "瑞景", "尚城", "逸景", "碧园", "锦园"};
    static final String[] COMPOUND_SUFFIXES = {
        "家园", "花园", "小区", "苑", "里", "府", "新村", "公寓", "雅苑", "嘉园", "名邸", "庭院", "湾", "城", "新苑", "园"};
    static final String[] UNIT_COMPOUNDS = {
        "供电局家属院", "粮食局宿舍", "纺织厂家属院", "第一中学宿舍", "铁路小区", "棉纺厂生活区", "水利局家属院", "机械厂宿舍",
        "卫生局家属院", "化肥厂生活区", "税务局宿舍", "交通局家属院"};
    static final String[] PHASES = {"一期", "二期", "三期", "四期"};
    static final String[] COMMUNITY_STEMS = {
        "东关", "西关", "南关", "北关", "城关", "河畔", "桥东", "桥西", "东门", "南门", "西门", "北门", "站前", "府前",
        "工农", "团结", "友谊", "解放", "朝阳", "前进", "东风", "长安", "新兴", "兴业", "和顺", "通惠", "运河", "湖滨",
        "山前", "泉水", "北街", "南街", "西街", "东街", "园艺", "惠民", "中山", "育才", "向阳", "车站", "塔山", "金桥"};
    static final String[] COMMUNITY_VARIANTS = {"东", "西", "南", "北", "中", "新"};
    static final String[] COMPANY_STEMS = {
        "鸿运", "恒泰", "宏远", "汇丰", "安居", "乐居", "众合", "信诚", "盛世", "通达", "广源", "锦城", "嘉禾", "融创",
        "康乐", "祥瑞", "兴隆", "万象", "中泰", "绿城", "保利", "长城", "银湖", "金地", "瑞安", "润达", "佳和", "安泰",
        "居安", "家和", "邻里", "蓝天", "碧园", "宜居", "美好", "优家", "天恒", "金诚", "泰安", "恒远", "福源", "顺达"};
    static final String[] COMPANY_SUFFIXES = {
        "物业服务有限公司", "物业管理有限公司", "物业服务有限责任公司", "物业管理股份有限公司", "物业服务集团有限公司"};
    static final String[] NUMERALS = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    static final String[] FUNCTIONAL = {"流动党员党支部", "离退休党员党支部", "两新组织联合党支部", "商圈功能型党支部"};
    static final String[] COMPLAINT_TEXTS = {
        "楼道堆放杂物", "小区路灯损坏", "车位不足乱停车", "垃圾清运不及时", "夜间噪音扰民", "外墙渗水", "电梯经常停运",
        "物业费公示不清", "下水道堵塞", "绿地被占用"};

    private static final String[] PHONE_PREFIXES = {
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
        "156", "157", "158", "159", "170", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
        "185", "186", "187", "188", "189", "191", "193", "195", "196", "197", "198", "199"};
    /** Birth-place area codes of people who moved in from elsewhere. */
    private static final String[] OTHER_AREAS = {
        "370811", "370881", "370883", "140902", "140922", "350503", "350521", "420102", "420106", "440802",
        "440882", "410105", "320106", "130102", "510104", "430102", "610113", "210102"};

    /** A person's name: mostly three characters, some two (王芳), a few four (上官建华). */
    static String person(SplittableRandom r) {
        double u = r.nextDouble();
        StringBuilder b = new StringBuilder(4);
        if (u < 0.025) {
            b.append(Rng.pick(r, DOUBLE_SURNAMES));
            b.append(given(r)).append(given(r));
        } else {
            int n = SURNAMES.length();
            double x = r.nextDouble();
            int i = (int) (n * x * x);
            b.append(SURNAMES.charAt(i));
            b.append(given(r));
            if (u >= 0.175) b.append(given(r));
        }
        return b.toString();
    }

    private static char given(SplittableRandom r) {
        return GIVEN.charAt(r.nextInt(GIVEN.length()));
    }

    static String phone(SplittableRandom r) {
        StringBuilder b = new StringBuilder(11).append(Rng.pick(r, PHONE_PREFIXES));
        for (int i = 0; i < 8; i++) b.append((char) ('0' + r.nextInt(10)));
        return b.toString();
    }

    /** A GB 11643 id number: area, birth date, sequence (odd = male), check character. */
    static String idNumber(SplittableRandom r, String district, LocalDate birth, boolean male) {
        String area = r.nextDouble() < 0.85 ? district : Rng.pick(r, OTHER_AREAS);
        int seq = r.nextInt(500) * 2 + (male ? 1 : 0);
        String first17 = area + String.format("%04d%02d%02d%03d", birth.getYear(), birth.getMonthValue(),
                birth.getDayOfMonth(), seq);
        return first17 + idCheck(first17);
    }

    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

    static char idCheck(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) sum += (first17.charAt(i) - '0') * ID_WEIGHTS[i];
        return "10X98765432".charAt(sum % 11);
    }

    private static final String CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] CREDIT_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    /** A unified social credit code (GB 32100): "91" (enterprise), area, organization code, check character. */
    static String creditCode(SplittableRandom r, String district) {
        StringBuilder b = new StringBuilder(18).append("91").append(district);
        for (int i = 0; i < 9; i++) {
            b.append(i < 8 ? CREDIT_CHARS.charAt(r.nextInt(i == 0 ? 10 : CREDIT_CHARS.length()))
                           : CREDIT_CHARS.charAt(r.nextInt(10)));
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(b.charAt(i)) * CREDIT_WEIGHTS[i];
        int c = 31 - sum % 31;
        b.append(CREDIT_CHARS.charAt(c == 31 ? 0 : c));
        return b.toString();
    }

    static String compoundName(SplittableRandom r) {
        double u = r.nextDouble();
        if (u < 0.08) return Rng.pick(r, UNIT_COMPOUNDS);
        String stem = Rng.pick(r, COMPOUND_STEMS);
        if (u < 0.13) return stem + "花园小区";
        String suffix = Rng.pick(r, COMPOUND_SUFFIXES);
        while (stem.charAt(stem.length() - 1) == suffix.charAt(0)) suffix = Rng.pick(r, COMPOUND_SUFFIXES);
        String name = stem + suffix;
        if (u > 0.90) name += Rng.pick(r, PHASES);
        return name;
    }

    static String communityName(SplittableRandom r, boolean variant) {
        String stem = Rng.pick(r, COMMUNITY_STEMS);
        return (variant ? stem + Rng.pick(r, COMMUNITY_VARIANTS) : stem) + "社区";
    }

    static String companyStem(SplittableRandom r) {
        return Rng.pick(r, COMPANY_STEMS);
    }

    static String companyName(String stem, SplittableRandom r) {
        return stem + Rng.pick(r, COMPANY_SUFFIXES);
    }

    static String numeral(int n) {
        return n >= 1 && n <= 10 ? NUMERALS[n - 1] : Integer.toString(n);
    }
}
