"""Flow branches no condition is needed for: the healthy answer of a check, and decide steps
that turn on what the caller says. Together with `Condition.branches` they cover every branch of
the front-line flows (tests/test_coverage.py checks this against flows.yaml)."""

# Branches a healthy customer produces (the "nothing wrong here" answer of a check).
HEALTHY_BRANCHES = (
    "F-BB-691 S2: 在用",
    "F-BB-691 S3: 一致",
    "F-BB-678 S1: 在用",
    "F-BB-678 S2: 无告警",
    "F-BB-651 S1: 其他",
    "F-BB-651 S2: 无",
    "F-BB-651 S5: 正常",
    "F-BB-651 S4L: 端口up",
    "F-BB-SLOW S3: 一致",
    "F-BB-SLOW S4: 正常",
    "F-BB-SLOW S5: 无",
    "F-BB-WEB S1: 正常",
    "F-BB-WEB S3: 无",
    "F-MOB-NOCALL S2: 正常在用",
    "F-MOB-NOCALL S4: 一致且正常",
    "F-MOB-NOCALL S6: 正常",
    "F-MOB-NOCALL S8: 无国际长途权限",
    "F-MOB-NOSMS S3: 正常",
    "F-MOB-NOSMS S4: 已递交成功",
    "F-MOB-NOSMS S5: 已成功递交",
    "F-MOB-VAS S2: 证据完整",
    "F-MOB-ORDER S5: 无差异",
    "F-MOB-DATA S2: 正常",
    "F-MOB-DATA S4: 正常",
    "F-MOB-DATA S5: 正常",
    "F-IPTV-NOPIC S3: 正常",
    "F-IPTV-NOPIC S5: 无",
)
# Branches of decide steps that turn on what the caller says, not on back-end data (ask and
# guide steps are all like this and are not listed).
CALLER_BRANCHES = (
    "F-BB-ERRCODE S1: 623/635/645/720/735/769/711/814（本机配置类）",
    "F-BB-ERRCODE S1: 619/718/734（会话/协商类）",
    "F-BB-ERRCODE S1: 721",
    "F-BB-SLOW S7: 仅单个网站",
    "F-BB-SLOW S7: 一类网站（如某运营商网内/某游戏）普遍慢且多用户反映",
    "F-BB-WEB S4: 单用户",
    "F-BB-WEB S4: 多用户同一应用",
    "F-MOB-NOCALL S8: 对方原因或拨号方式错误",
    "F-IPTV-NOPIC S2: 网络阶段",
    "F-IPTV-NOPIC S2: 硬件阶段",
    "F-IPTV-NOPIC S2: 认证阶段",
    "F-IPTV-NOPIC S2: 98%",
)
