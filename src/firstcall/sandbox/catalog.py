"""Reference data the generator draws from: tariffs, SPs, terminals, gifts, names.

All illustrative: no real person, SP code or device serial.
"""

from dataclasses import dataclass

SURNAMES = ("张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴", "徐", "孙", "朱", "马")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
ORG_NAMES = ("某某科技有限公司", "某某贸易有限公司", "某某物业管理有限公司", "某某中学")
CUSTOMER_TYPES = ("公众客户", "公众客户", "公众客户", "家庭", "校园", "政企客户")
STAR_LEVELS = ("0星", "1星", "2星", "3星", "4星黄金", "5星白金", "6星黑金", "7星钻石")
CERT_TYPES = ("居民身份证",) * 8 + ("护照", "港澳居民来往内地通行证")
PAY_CHANNELS = ("现金", "银行托收", "第三方支付", "充值卡")
SALES_CHANNELS = ("营业厅（自有）", "网上营业厅", "10000号", "社会渠道代理点", "客户端APP")
ESTATES = ("金色家园", "翠苑", "阳光花园", "锦绣城", "湖畔居", "万科城", "绿地世纪城", "书香门第")


@dataclass(frozen=True, slots=True)
class MobilePlan:
    offer_id: str
    name: str
    monthly_fee: float
    data_gb: int
    unlimited: bool  # over the quota the speed is limited (达量限速) instead of charged


MOBILE_PLANS = (
    MobilePlan("200004818", "5G畅享129元套餐", 129.0, 30, True),
    MobilePlan("200004811", "5G畅享199元套餐", 199.0, 60, True),
    MobilePlan("200003620", "畅享59元套餐", 59.0, 10, False),
    MobilePlan("200003388", "天翼云卡19元", 19.0, 5, False),
    MobilePlan("200002901", "乐享家融合169元", 169.0, 40, True),
)


@dataclass(frozen=True, slots=True)
class BroadbandPlan:
    offer_id: str
    name: str
    down_mbps: int
    up_mbps: int


BROADBAND_PLANS = {
    "ADSL": (BroadbandPlan("300001004", "ADSL 8M包年", 8, 1),),
    "LAN": (
        BroadbandPlan("300002100", "LAN 100M包年", 100, 20),
        BroadbandPlan("300002200", "LAN 200M包月", 200, 30),
    ),
    "FTTH": (
        BroadbandPlan("300003300", "FTTH 300M包年", 300, 30),
        BroadbandPlan("300003500", "FTTH 500M融合", 500, 50),
        BroadbandPlan("300003999", "FTTH 1000M融合", 1000, 100),
    ),
}
SPEED_UPGRADE_FROM = {300: 200, 500: 300, 1000: 500, 100: 50, 200: 100, 8: 4}


@dataclass(frozen=True, slots=True)
class Terminal:
    vendor: str
    model: str
    oui: str  # first three MAC octets


ONT_MODELS = (
    Terminal("华为", "HG8145X6", "48:57:02"),
    Terminal("中兴", "F7610M", "34:e8:94"),
    Terminal("烽火", "HG6145F", "c8:3a:35"),
)
ADSL_MODEMS = (Terminal("华为", "HG520s", "00:e0:fc"), Terminal("中兴", "ZXV10 H108L", "00:19:c6"))
STB_MODELS = (
    Terminal("创维", "E900V22", "00:07:63"),
    Terminal("华为", "EC6110", "ac:4a:fe"),
    Terminal("中兴", "B860AV2.1", "b4:98:42"),
)
PC_OUI = "3c:7c:3f"
FOREIGN_OUI = "f4:5c:89"


@dataclass(frozen=True, slots=True)
class ServiceProvider:
    sp_name: str
    sp_code: str
    service_code: str
    access_no: str
    service_name: str
    monthly_fee: float


SERVICE_PROVIDERS = (
    ServiceProvider("北京某某科技有限公司", "901234", "YDYX01", "10659001", "健康资讯包月", 10.0),
    ServiceProvider(
        "上海某某信息技术有限公司", "902311", "YLZX05", "10659023", "娱乐资讯包月", 5.0
    ),
    ServiceProvider("广州某某网络有限公司", "903120", "YXHY02", "10659031", "游戏会员", 15.0),
    ServiceProvider("深圳某某文化传播有限公司", "904455", "DMSP03", "10659044", "动漫视频包", 8.0),
    ServiceProvider("成都某某数字科技有限公司", "905067", "TQYB01", "10659050", "天气预报", 3.0),
)
ORDER_CHANNELS = ("短信上行", "WAP点击", "网页", "客户端", "IVR", "营业厅")

IPTV_PACKAGES = (
    "天翼高清 基础包",
    "天翼高清 基础包 + 影视VIP（包月 20.00）",
    "天翼高清 基础包 + 少儿包",
)


@dataclass(frozen=True, slots=True)
class Gift:
    name: str
    points: int
    kind: str  # "话费" / "流量" credited by billing, "实物" shipped


GIFTS = (
    Gift("30元话费", 3000, "话费"),
    Gift("10元话费", 1000, "话费"),
    Gift("国内流量包5GB", 1500, "流量"),
    Gift("保温杯", 4800, "实物"),
    Gift("蓝牙耳机", 12000, "实物"),
)
COURIERS = ("顺丰", "中通", "京东物流")
