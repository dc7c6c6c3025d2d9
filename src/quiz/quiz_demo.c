/* quiz_demo.c - the demo city's question bank: 80 reviewed questions of the city, written and
 * reviewed through the module's own functions (versions, audit), across the literacy dimensions
 * (at least 15 each) and the course topics, every type and difficulty 1..5, so a contest or a
 * self-assessment can be drawn from the demo at once. */
#include "quiz/questions.h"
#include <stdlib.h>
#include <string.h>

typedef struct demo_question {
    const char *type, *category;
    int difficulty;
    const char *stem, *options, *answer, *explanation, *source;   /* options '|'-separated */
} demo_question;

#define GUIDE "《中国居民膳食指南（2022）》"
#define OUTLINE "《全民科学素质行动规划纲要（2021—2035年）》"
static const demo_question bank[] = {
    /* 基本科学知识 */
    {"single", "lit_knowledge", 1, "地球自转一周大约需要多长时间？", "1 小时|24 小时|30 天|365 天", "B", "地球自转一周约 24 小时，形成昼夜交替。", NULL},
    {"single", "lit_knowledge", 2, "光在真空中的传播速度约为每秒多少千米？", "3 万千米|30 万千米|300 万千米|3000 千米", "B", "真空中光速约为 3×10⁸ 米/秒，即每秒约 30 万千米。", NULL},
    {"true_false", "lit_knowledge", 1, "太阳是一颗恒星。", NULL, "对", "太阳是离地球最近的恒星，自身发光发热。", NULL},
    {"true_false", "lit_knowledge", 2, "声音可以在真空中传播。", NULL, "错", "声音的传播需要介质，真空中不能传声。", NULL},
    {"single", "lit_knowledge", 2, "人体最大的器官是？", "心脏|肝脏|皮肤|大脑", "C", "皮肤覆盖全身，是人体面积最大的器官。", NULL},
    {"single", "lit_knowledge", 1, "在一个标准大气压下，水的沸点是多少摄氏度？", "90|100|110|120", "B", NULL, NULL},
    {"fill_in", "lit_knowledge", 2, "绿色植物通过____作用，把二氧化碳和水转化为有机物并释放氧气。", NULL, "光合|光合作用", NULL, NULL},
    {"true_false", "lit_knowledge", 2, "抗生素可以杀灭引起普通感冒的病毒。", NULL, "错", "抗生素针对细菌，对病毒无效，滥用会导致耐药。", NULL},
    {"multiple", "lit_knowledge", 3, "下列属于可再生能源的有？", "太阳能|风能|煤炭|水能", "ABD", "煤炭是化石能源，短期内不可再生。", NULL},
    {"single", "lit_knowledge", 3, "遗传信息主要储存在细胞的哪种物质中？", "蛋白质|DNA|脂肪|糖类", "B", NULL, NULL},
    {"true_false", "lit_knowledge", 1, "地球是太阳系中距离太阳最近的行星。", NULL, "错", "距离太阳最近的行星是水星。", NULL},
    {"single", "lit_knowledge", 2, "我们看到的月光来自哪里？", "月球自身发光|月球反射的太阳光|地球反射的光|星星的光", "B", NULL, NULL},
    {"fill_in", "lit_knowledge", 1, "水的化学式是____。", NULL, "H2O|H₂O", NULL, NULL},
    {"single", "lit_knowledge", 3, "下列物质中，容易导电的是？", "橡胶|玻璃|铜|塑料", "C", "金属铜是良好的导体。", NULL},
    {"true_false", "lit_knowledge", 3, "所有的细菌都对人体有害。", NULL, "错", "肠道中的许多细菌对人体有益，如帮助消化。", NULL},
    {"multiple", "lit_knowledge", 2, "下列动物中属于哺乳动物的是？", "鲸|蝙蝠|企鹅|鸭嘴兽", "ABD", "企鹅是鸟类。", NULL},
    {"single", "lit_knowledge", 4, "地球大气中含量最多的气体是？", "氧气|二氧化碳|氮气|氩气", "C", "氮气约占大气体积的 78%。", NULL},
    {"fill_in", "lit_knowledge", 3, "北半球一年中白天最长的节气是____。", NULL, "夏至", NULL, NULL},
    /* 科学方法 */
    {"single", "lit_method", 2, "为检验一种新肥料能否提高产量，最合理的做法是？", "只在一块地里施用，看收成好不好|把条件相同的田地分成两组，一组施用一组不施用，比较产量|问问邻居的看法|看广告怎么说", "B", "设置对照组，其他条件相同，才能看出肥料的作用。", NULL},
    {"true_false", "lit_method", 2, "一次实验的结果就足以证明一个结论永远正确。", NULL, "错", "科学结论需要重复验证，并可能被新证据修正。", NULL},
    {"single", "lit_method", 3, "实验中只改变一个因素、保持其他因素不变，这种方法叫做？", "控制变量法|类比法|归纳法|演绎法", "A", NULL, NULL},
    {"multiple", "lit_method", 3, "下列哪些属于科学研究的基本步骤？", "提出问题|作出假设|收集证据检验假设|只相信权威的说法", "ABC", NULL, NULL},
    {"true_false", "lit_method", 1, "科学结论应当能够被他人重复验证。", NULL, "对", NULL, NULL},
    {"single", "lit_method", 3, "新药临床试验采用“双盲”设计，主要目的是？", "降低成本|避免研究者和受试者的主观期望影响结果|缩短试验时间|增加受试者人数", "B", NULL, NULL},
    {"single", "lit_method", 2, "“吃了某保健品后感冒好了，所以它能治感冒”，这种推理的错误在于？", "样本太大|把先后发生当成了因果关系|数据造假|测量误差", "B", "感冒多数会自愈，需对照试验才能判断效果。", NULL},
    {"true_false", "lit_method", 3, "两件事同时出现（相关），就说明一件事导致了另一件事（因果）。", NULL, "错", "相关不等于因果，可能有第三个因素在起作用。", NULL},
    {"single", "lit_method", 4, "科学理论的一个重要特征是？", "永远不会被修改|可以被检验，也可能被证伪|由权威人士决定|不需要证据支持", "B", NULL, NULL},
    {"fill_in", "lit_method", 2, "在对照实验中，不施加实验处理的一组称为____组。", NULL, "对照|控制", NULL, NULL},
    {"multiple", "lit_method", 4, "判断一则健康信息是否可信，应当？", "看信息来源是否权威|看是否有科学证据支持|看转发量多不多|多方查证核实", "ABD", NULL, NULL},
    {"single", "lit_method", 2, "要了解全市居民的科学素质水平，最合适的做法是？", "只调查一个小区|按科学方法抽取有代表性的样本调查|只调查大学生|在网上随便发问卷", "B", NULL, NULL},
    {"true_false", "lit_method", 2, "在抽样调查中，样本越有代表性，调查结果通常越可靠。", NULL, "对", NULL, NULL},
    {"single", "lit_method", 3, "科学研究中的“假设”是指？", "已被证实的定律|对问题的尝试性解释，有待检验|个人的信仰|实验得到的数据", "B", NULL, NULL},
    {"single", "lit_method", 5, "研究发现喝咖啡的人患某病的比例较高，但喝咖啡的人也更常吸烟。这里的吸烟属于？", "对照组|混杂因素|样本|因变量", "B", "混杂因素同时影响暴露和结果，会造成虚假的关联。", NULL},
    {"true_false", "lit_method", 4, "科学结论可以随着新证据的出现而修正。", NULL, "对", NULL, NULL},
    /* 科学与社会 */
    {"single", "lit_society", 2, "按照规划纲要，到 2025 年我国公民具备科学素质的比例要超过多少？", "5%|10%|15%|25%", "C", NULL, OUTLINE},
    {"true_false", "lit_society", 1, "全国科技活动周一般在每年 5 月举办。", NULL, "对", NULL, NULL},
    {"single", "lit_society", 2, "我国第一颗人造地球卫星是？", "东方红一号|神舟五号|嫦娥一号|天宫一号", "A", "东方红一号于 1970 年发射成功。", NULL},
    {"multiple", "lit_society", 3, "下列属于我国重大科技成就的有？", "载人航天|北斗卫星导航系统|“天问一号”火星探测|永动机", "ABC", "永动机违背能量守恒定律，不可能实现。", NULL},
    {"single", "lit_society", 3, "下列哪一项体现了科学技术的“双刃剑”效应？", "核能既可以发电也可以制造武器|雨后出现彩虹|四季交替|潮汐涨落", "A", NULL, NULL},
    {"single", "lit_society", 1, "《中华人民共和国科学技术普及法》颁布于哪一年？", "1995 年|2002 年|2008 年|2015 年", "B", NULL, "《中华人民共和国科学技术普及法》"},
    {"true_false", "lit_society", 2, "科学技术普及是全社会的共同任务。", NULL, "对", NULL, "《中华人民共和国科学技术普及法》"},
    {"multiple", "lit_society", 2, "下列哪些做法有助于应对气候变化？", "节约用电|绿色出行|垃圾分类|露天焚烧秸秆", "ABC", NULL, NULL},
    {"single", "lit_society", 3, "我国力争在哪一年前实现碳中和？", "2030 年|2050 年|2060 年|2070 年", "C", "我国提出二氧化碳排放力争 2030 年前达到峰值，2060 年前实现碳中和。", NULL},
    {"true_false", "lit_society", 3, "人工智能生成的内容一定准确可靠，不需要核实。", NULL, "错", NULL, NULL},
    {"single", "lit_society", 2, "袁隆平院士的主要贡献是？", "杂交水稻|青蒿素|两弹一星|高速铁路", "A", NULL, NULL},
    {"single", "lit_society", 2, "屠呦呦因发现什么获得 2015 年诺贝尔生理学或医学奖？", "胰岛素|青蒿素|青霉素|干扰素", "B", NULL, NULL},
    {"fill_in", "lit_society", 3, "我国自主建设、独立运行的全球卫星导航系统叫____系统。", NULL, "北斗|北斗卫星导航", NULL, NULL},
    {"multiple", "lit_society", 4, "公民参与科技相关公共事务的正当途径包括？", "参加听证会|在征求意见时提出建议|关注和了解科技政策|散布未经核实的传言", "ABC", NULL, NULL},
    {"true_false", "lit_society", 1, "保护个人信息也是数字时代科学素质的一部分。", NULL, "对", NULL, NULL},
    {"single", "lit_society", 4, "面对网络上关于新技术的争议，较为理性的态度是？", "一概拒绝新技术|盲目相信|了解科学证据，权衡利弊后判断|只听身边人说", "C", NULL, NULL},
    /* 健康 */
    {"single", "health", 1, "成年人每天食盐摄入量不宜超过多少克？", "3 克|5 克|10 克|15 克", "B", NULL, GUIDE},
    {"true_false", "health", 2, "非同日三次测量血压均在 140/90 mmHg 及以上，可诊断为高血压。", NULL, "对", NULL, "《中国高血压防治指南》"},
    {"single", "health", 2, "用流动水和肥皂洗手时，揉搓双手至少多少秒？", "5 秒|10 秒|20 秒|2 分钟", "C", NULL, NULL},
    {"multiple", "health", 3, "下列属于健康生活方式的有？", "合理膳食|适量运动|戒烟限酒|经常熬夜", "ABC", NULL, NULL},
    {"true_false", "health", 1, "吸烟有害健康，二手烟同样有害。", NULL, "对", NULL, NULL},
    {"single", "health", 3, "成年人每周宜进行累计多少分钟以上的中等强度身体活动？", "30 分钟|75 分钟|150 分钟|600 分钟", "C", NULL, GUIDE},
    {"fill_in", "health", 2, "正常成年人腋下体温一般在 36℃ 至____℃ 之间。", NULL, "37|37.0", NULL, NULL},
    {"single", "health", 4, "发现有人突然倒地、没有呼吸，最关键的做法是？", "给他喂水|立即拨打 120 并进行心肺复苏|等他自己醒来|扶他坐起", "B", "心脏骤停后 4 分钟内是抢救的黄金时间。", NULL},
    /* 应急 */
    {"single", "emergency", 1, "发生地震时如果在室内，正确的做法是？", "乘电梯逃离|躲在坚固的桌子下或承重墙墙角|跳楼|站在窗边", "B", NULL, NULL},
    {"true_false", "emergency", 1, "火灾逃生时应用湿毛巾捂住口鼻，弯腰低姿前进。", NULL, "对", NULL, NULL},
    {"single", "emergency", 2, "火警电话是？", "110|119|120|122", "B", NULL, NULL},
    {"multiple", "emergency", 2, "遇到洪水时，下列做法正确的有？", "迅速向高处转移|远离电线杆和高压线|涉水过河抄近路|听从政府的转移安排", "ABD", NULL, NULL},
    {"true_false", "emergency", 2, "雷雨天气可以在大树下避雨。", NULL, "错", "大树容易遭受雷击，应远离。", NULL},
    {"single", "emergency", 3, "发现家中燃气泄漏，首先应该？", "打开排风扇|关闭阀门并开窗通风|在屋内打电话报警|点火检查", "B", "室内开关电器、打电话都可能产生火花。", NULL},
    /* 防诈骗 */
    {"true_false", "anti_fraud", 1, "公安机关不会通过电话要求群众把钱转入“安全账户”。", NULL, "对", NULL, NULL},
    {"single", "anti_fraud", 1, "自称“客服”的人打电话索要短信验证码，应当？", "立即告诉他|拒绝并挂断，通过官方渠道核实|按他的指示操作|先转一笔钱试试", "B", NULL, NULL},
    {"multiple", "anti_fraud", 2, "下列属于常见电信网络诈骗手法的有？", "刷单返利|冒充公检法|虚假投资理财|在银行柜台正常办理业务", "ABC", NULL, NULL},
    {"single", "anti_fraud", 2, "国家反诈中心的预警劝阻专用号码是？", "96110|12345|12315|10086", "A", NULL, NULL},
    {"true_false", "anti_fraud", 2, "网上“无抵押低息贷款，先交保证金”的说法可以相信。", NULL, "错", NULL, NULL},
    {"single", "anti_fraud", 1, "发现自己被骗后，应第一时间拨打？", "110|119|120|12345", "A", NULL, NULL},
    /* 环境 */
    {"single", "environment", 2, "废旧电池应投放到哪一类垃圾桶？", "可回收物|有害垃圾|厨余垃圾|其他垃圾", "B", NULL, NULL},
    {"true_false", "environment", 1, "节约用水是每个公民应尽的义务。", NULL, "对", NULL, NULL},
    {"multiple", "environment", 3, "下列属于温室气体的有？", "二氧化碳|甲烷|氧气|氧化亚氮", "ABD", NULL, NULL},
    {"single", "environment", 3, "PM2.5 指空气中直径小于或等于多少微米的颗粒物？", "0.25|2.5|25|250", "B", NULL, NULL},
    /* 数字技能 */
    {"true_false", "digital", 1, "不要随意点击陌生短信中的链接。", NULL, "对", NULL, NULL},
    {"single", "digital", 2, "设置手机支付密码时，较安全的是？", "123456|自己的生日|字母、数字和符号组合的长密码|手机号后六位", "C", NULL, NULL},
    {"multiple", "digital", 3, "保护个人信息的做法有？", "不在公共 Wi-Fi 下进行网上支付|及时更新手机系统|随意扫描来路不明的二维码|谨慎授予 App 权限", "ABD", NULL, NULL},
    /* 食 */
    {"true_false", "food", 2, "发芽的土豆去掉芽后就可以放心食用。", NULL, "错", "发芽土豆含较多龙葵素，大量发芽的不宜食用。", NULL},
    {"single", "food", 2, "冰箱冷藏室的温度一般宜保持在？", "0～4℃|10～15℃|-18℃ 以下|20℃ 左右", "A", NULL, NULL},
    {"single", "food", 3, "野生蘑菇中毒的主要原因是？", "蘑菇太老|误食毒蘑菇，毒素难以凭外观辨别、也难以靠烹调去除|烹调时间太长|吃得太少", "B", NULL, NULL},
};

/* The options text "a|b|c" as a JSON array text in a; NULL for none. */
static const char *options_json(arena *a, const char *text, int *n)
{
    *n = 0;
    if (!text) return NULL;
    json_t *arr = json_array();
    for (const char *p = text;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, len));
        if (!bar) break;
        p = bar + 1;
    }
    *n = (int)json_array_size(arr);
    char *s = json_dumps(arr, JSON_COMPACT);
    const char *out = arena_strdup(a, s);
    free(s);
    json_decref(arr);
    return out;
}

static int add_one(db *c, const principal *p, arena *a, int64_t city, const demo_question *d)
{
    int n;
    question in = {.org_id = city, .type = d->type, .category = d->category, .difficulty = d->difficulty,
                   .stem = d->stem, .explanation = d->explanation, .source = d->source}, out;
    in.options = options_json(a, d->options, &n);
    const char *err = NULL;
    json_t *key = quiz_answer_parse(d->type, d->answer, n, &err);
    if (!key) return DB_ERR;   /* a typo in the table above */
    char *k = json_dumps(key, JSON_COMPACT | JSON_ENCODE_ANY);
    in.answer = arena_strdup(a, k);
    free(k);
    json_decref(key);
    int rc = questions_create(c, p, a, &in, &out);
    return rc == DB_OK ? questions_review(c, p, a, out.id, &out) : rc;
}

int demo_step_quiz(db *c, const demo_context *x)
{
    principal p = demo_principal_unscoped();
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof bank / sizeof *bank; i++) {
        arena a;
        arena_init(&a);
        rc = add_one(c, &p, &a, x->city_id, &bank[i]);
        arena_free(&a);
    }
    return rc == DB_OK ? 0 : -1;
}
